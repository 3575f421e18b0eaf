using System.CommandLine;
using System.Text.Json;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;
using BuildHooks.Cli.Running;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

public static class BuildsCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("builds", Examples.Describe("Builds of a project: list, show, report a finished one, and send reports kept while the server was down.",
            "buildhooks builds list --project 1",
            "buildhooks builds report --project 1 --result 0 --duration 158",
            "buildhooks builds artifacts 42",
            "buildhooks builds flush"));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(BuildArtifactsCommand.Create(cli));
        command.Subcommands.Add(BuildReportCommand.Create(cli));
        command.Subcommands.Add(BuildFlushCommand.Create(cli));
        return command;
    }

    private static Command List(Invocation cli)
    {
        var project = new Option<long>("--project", "-p") { Description = "The project's id", Required = true };
        var limit = new Option<int?>("--limit") { Description = "At most this many, newest first (default 50, at most 500)" };
        var before = new Option<long?>("--before") { Description = "Only builds with an id below this (paging)" };
        var command = new ExampleCommand("list", Examples.Describe("List a project's builds, newest first.", "buildhooks builds list -p 1 --limit 10")) { project, limit, before };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(limit) is { } l)
            {
                query.Add($"limit={l}");
            }

            if (parse.GetValue(before) is { } b)
            {
                query.Add($"before={b}");
            }

            var path = $"api/projects/{parse.GetValue(project)}/builds" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            screen.Show(await api.GetAsync(path, ct), builds =>
            {
                var table = Screen.Table("id", "#", "status", "branch", "commit", "author", "started", "duration", "deliveries");
                foreach (var build in builds.Items())
                {
                    table.AddRow(Json.Cell(build.Str("id")), Json.Cell(build.Str("number")), Json.Status(build.Str("status")), Json.Cell(build.Str("branch")),
                        Json.Cell(Short(build.Str("commit"))), Json.Cell(build.Str("author")), Json.Cell(build.Time("started_at")),
                        Json.Cell(Duration(build)), Json.Cell(build.Str("deliveries")));
                }

                screen.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Invocation cli)
    {
        var id = new Argument<long>("build-id") { Description = "The build's id (not its number)" };
        var command = new ExampleCommand("show", Examples.Describe("Show one build.", "buildhooks builds show 42")) { id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/builds/{parse.GetValue(id)}", ct), b => ShowBuild(screen, b));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void ShowBuild(Screen screen, JsonElement b)
    {
        screen.Fields(
            ("id", b.Str("id")), ("uuid", b.Str("uuid")), ("project", b.Str("project_id")), ("number", b.Str("number")),
            ("status", b.Str("status")), ("result", b.Str("result")), ("branch", b.Str("branch")), ("commit", b.Str("commit")),
            ("author", b.Str("author")), ("committer", b.Str("committer")), ("message", b.Str("message")),
            ("started", b.Time("started_at")), ("finished", b.Time("finished_at")), ("duration", Duration(b)),
            ("build url", b.Str("build_url")), ("commit url", b.Str("commit_url")), ("compare url", b.Str("compare_url")),
            ("deliveries", b.Str("deliveries")));
    }

    private static string? Short(string? commit) => commit is { Length: > 7 } ? commit[..7] : commit;

    private static string? Duration(JsonElement build) =>
        DateTimeOffset.TryParse(build.Str("started_at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start)
        && DateTimeOffset.TryParse(build.Str("finished_at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var end)
            ? $"{(end - start).TotalSeconds:0} s"
            : null;
}
