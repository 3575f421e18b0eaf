using System.CommandLine;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Commands;

public static class RunCommand
{
    public static Command Create(Invocation cli)
    {
        var project = new Option<string>("--project", "-p") { Description = "The project's id or key (e.g. 1 or AQ_9V0GKpZ8Zkjj_)", Required = true };
        var timeout = new Option<int?>("--timeout") { Description = "Kill the command after this many seconds; the build is then an error" };
        var artifacts = new Option<string[]>("--artifact", "-a")
        {
            Description = "Upload the files matching this pattern after the command ends, before the build finishes (relative to the current folder: "
                + "dist/*.zip, **/*.log); repeat for more. Payloads list them with a download_url that carries the build's access token",
        };
        var commandLine = new Argument<string[]>("command") { Description = "The build command and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var commit = new CommitOptions();
        var command = new ExampleCommand("run", Examples.Describe(
            "Run a build command as a reported build and exit with its status; hooks fire when it ends. "
            + "Opens a running build, runs the command with its output passed through live, then finishes the build: exit status 0 is pass, "
            + "anything else fail; a command that cannot start (exit 127) or is killed by --timeout (exit 124) is an error. "
            + "Files matching --artifact are uploaded after the command ends (a failed upload never changes the exit status). "
            + "Commit, author, committer, message and branch come from git, overridden by the CI's variables "
            + "(GitHub Actions, GitLab CI, Jenkins, CircleCI, Buildkite, Travis), overridden by flags. "
            + "If the server cannot be reached the report is kept and sent later by 'buildhooks builds flush'. "
            + "The run's reports carry one Idempotency-Key, so a report whose answer was lost is not recorded twice: one run is one build. "
            + "Without a commit or branch (no git, no CI variable, no flag), or without a server address or token (a fork's pull request "
            + "gets no secrets), the command still runs and its status is returned, but nothing is reported and standard error says so.",
            "buildhooks run --project 1 -- make test",
            "buildhooks run -p 1 --timeout 1800 -- ./gradlew build",
            "buildhooks run -p AQ_9V0GKpZ8Zkjj_ --artifact 'dist/*.zip' --artifact '**/*.log' -- make release",
            "BUILDHOOKS_URL=https://buildhooks.example.com BUILDHOOKS_TOKEN=$REPORT_TOKEN buildhooks run -p 1 -- sh -c 'npm ci && npm test'"))
        {
            project, timeout, artifacts, commandLine,
        };
        commit.AddTo(command);
        cli.On(command, async (parse, screen, ct) =>
        {
            if (parse.GetValue(project) is not { Length: > 0 } projectRef || projectRef.Any(char.IsWhiteSpace))
            {
                throw new UsageException("--project needs the project's id or key, e.g. --project 1 or --project AQ_9V0GKpZ8Zkjj_.");
            }

            if (parse.GetValue(artifacts)?.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            {
                throw new UsageException("--artifact needs a file pattern, e.g. --artifact 'dist/*.zip'.");
            }

            if (parse.GetValue(timeout) is <= 0)
            {
                throw new UsageException("--timeout must be a positive number of seconds.");
            }

            // A report that cannot be made must not cost the CI its step: without a server address or token (a fork's pull
            // request gets no secrets), or without a commit or branch, the step runs anyway, unreported, and says so.
            Connection? connection = null;
            string? unreported;
            try
            {
                connection = cli.Connect(parse);
                unreported = null;
            }
            catch (UsageException e)
            {
                unreported = e.Message;
            }

            var info = await commit.ReadAsync(parse, cli.Context, ct);
            var limit = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var step = parse.GetValue(commandLine)!;
            var files = parse.GetValue(artifacts) ?? [];
            if ((unreported ?? CommitOptions.Missing(info)) is { } why)
            {
                return await BuildRun.RunUnreportedAsync(screen, step, limit, why, files.Length > 0, ct);
            }

            return await new BuildRun(screen, connection!, new BuildSpool(cli.Context.SpoolDirectory), projectRef, info, files).RunAsync(step, limit, ct);
        });
        return command;
    }
}
