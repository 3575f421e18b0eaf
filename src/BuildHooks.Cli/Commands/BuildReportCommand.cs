using System.CommandLine;
using System.Text.Json.Nodes;
using BuildHooks.Cli.Rendering;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Commands;

/// <summary><c>builds report</c>: a finished build from flags, with commit details from git and the CI like <c>run</c>.</summary>
public static class BuildReportCommand
{
    public static Command Create(Invocation cli)
    {
        var project = new Option<long>("--project", "-p") { Description = "The project's id", Required = true };
        var status = new Option<string?>("--status") { Description = "pass, fail or error (or give --result)" };
        status.AcceptOnlyFromAmong("pass", "fail", "error");
        var result = new Option<int?>("--result") { Description = "The build's exit status: 0 is pass, anything else fail" };
        var startedAt = new Option<DateTimeOffset?>("--started-at") { Description = "When the build started, ISO 8601 (default: --finished-at minus --duration)" };
        var finishedAt = new Option<DateTimeOffset?>("--finished-at") { Description = "When it finished, ISO 8601 (default: now)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds it took, when --started-at is not given (default 0)" };
        var number = new Option<int?>("--number") { Description = "Build number (default: the next one)" };
        var commitUrl = new Option<string?>("--commit-url") { Description = "Link to the commit" };
        var compareUrl = new Option<string?>("--compare-url") { Description = "Link to the diff since the previous build" };
        var key = new Option<string?>("--idempotency-key")
        {
            Description = "Your own name for this build, such as the CI job's id: the same report sent again with the same key "
                + "(a retry after a timeout) records nothing new and fires no hook again",
        };
        var commit = new CommitOptions();
        var command = new ExampleCommand("report", Examples.Describe(
            "Report a finished build; its hooks fire. Commit details come from git and the CI's variables unless given. Works with a project's report token.",
            "buildhooks builds report -p 1 --result 0 --duration 158",
            "buildhooks builds report -p 1 --status fail --commit e91e132 --branch master --author 'Dan Sosedoff' --message 'Fix login'",
            "buildhooks builds report -p 1 --result 0 --idempotency-key \"$CI_JOB_ID\""))
        {
            project, status, result, startedAt, finishedAt, duration, number, commitUrl, compareUrl, key,
        };
        commit.AddTo(command);
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            if (parse.GetValue(status) is null == parse.GetValue(result) is null)
            {
                throw new UsageException("Give exactly one of --status (pass, fail, error) or --result (the exit status).");
            }

            var info = await commit.ResolveAsync(parse, cli.Context, ct);
            var finished = parse.GetValue(finishedAt) ?? DateTimeOffset.Now;
            var started = parse.GetValue(startedAt) ?? finished - TimeSpan.FromSeconds(parse.GetValue(duration) ?? 0);
            var body = ReportBody.Commit(info, started);
            body["finished_at"] = ReportBody.Time(finished);
            Set(body, "status", parse.GetValue(status));
            Set(body, "result", parse.GetValue(result));
            Set(body, "number", parse.GetValue(number));
            Set(body, "commit_url", parse.GetValue(commitUrl));
            Set(body, "compare_url", parse.GetValue(compareUrl));
            var response = await api.PostAsync($"api/projects/{parse.GetValue(project)}/builds", body, parse.GetValue(key), ct);
            if (response.Replayed)
            {
                screen.Note($"the server already had build #{response.Json.Str("number")} with this idempotency key; nothing was recorded or sent again.");
            }

            screen.Show(response, b => BuildsCommand.ShowBuild(screen, b));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Set(JsonObject body, string name, JsonNode? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
