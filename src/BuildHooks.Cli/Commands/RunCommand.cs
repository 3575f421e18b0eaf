using System.CommandLine;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Commands;

public static class RunCommand
{
    public static Command Create(Invocation cli)
    {
        var project = new Option<long>("--project", "-p") { Description = "The project's id", Required = true };
        var timeout = new Option<int?>("--timeout") { Description = "Kill the command after this many seconds; the build is then an error" };
        var artifacts = new Option<string[]>("--artifact") { Description = "Not supported yet: the server has no artifacts API" };
        var commandLine = new Argument<string[]>("command") { Description = "The build command and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var commit = new CommitOptions();
        var command = new ExampleCommand("run", Examples.Describe(
            "Run a build command as a reported build and exit with its status; hooks fire when it ends. "
            + "Opens a running build, runs the command with its output passed through live, then finishes the build: exit status 0 is pass, "
            + "anything else fail; a command that cannot start (exit 127) or is killed by --timeout (exit 124) is an error. "
            + "Commit, author, committer, message and branch come from git, overridden by the CI's variables "
            + "(GitHub Actions, GitLab CI, Jenkins, CircleCI, Buildkite, Travis), overridden by flags. "
            + "If the server cannot be reached the report is kept and sent later by 'buildhooks builds flush'.",
            "buildhooks run --project 1 -- make test",
            "buildhooks run -p 1 --timeout 1800 -- ./gradlew build",
            "BUILDHOOKS_URL=https://buildhooks.example.com BUILDHOOKS_TOKEN=$REPORT_TOKEN buildhooks run -p 1 -- sh -c 'npm ci && npm test'"))
        {
            project, timeout, artifacts, commandLine,
        };
        commit.AddTo(command);
        cli.On(command, async (parse, screen, ct) =>
        {
            if (parse.GetValue(artifacts) is { Length: > 0 })
            {
                throw new UsageException("--artifact is not supported yet: the server has no artifacts API. Run without it.");
            }

            if (parse.GetValue(timeout) is <= 0)
            {
                throw new UsageException("--timeout must be a positive number of seconds.");
            }

            var connection = cli.Connect(parse);
            var info = await commit.ResolveAsync(parse, cli.Context, ct);
            var run = new BuildRun(screen, connection, new BuildSpool(cli.Context.SpoolDirectory), parse.GetValue(project), info);
            var limit = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            return await run.RunAsync(parse.GetValue(commandLine)!, limit, ct);
        });
        return command;
    }
}
