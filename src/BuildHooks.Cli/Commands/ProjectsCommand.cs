using System.CommandLine;
using System.Text.Json.Nodes;
using BuildHooks.Cli.Rendering;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

public static class ProjectsCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("projects", Examples.Describe("Projects (Ship.io's jobs): the things builds are reported for.",
            "buildhooks projects list",
            "buildhooks projects add --name shipio-example-ios --repository-url https://github.com/shipio/shipio-example-ios",
            "buildhooks projects show 1 --json"));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Add(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(Remove(cli));
        return command;
    }

    private static Command List(Invocation cli)
    {
        var command = new ExampleCommand("list", Examples.Describe("List every project.", "buildhooks projects list --json | jq '.[].name'"));
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync("api/projects", ct), projects =>
            {
                var table = Screen.Table("id", "key", "name", "repository", "branch", "created");
                foreach (var p in projects.Items())
                {
                    var repository = p.Obj("repository");
                    table.AddRow(Json.Cell(p.Str("id")), Json.Cell(p.Str("key")), Json.Cell(p.Str("name")),
                        Json.Cell(repository.Str("html_url")), Json.Cell(repository.Str("selected_branch")), Json.Cell(p.Time("created_at")));
                }

                screen.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Add(Invocation cli)
    {
        var name = new Option<string>("--name") { Description = "Project name", Required = true };
        var repositoryUrl = new Option<string?>("--repository-url") { Description = "The repository's web page (html_url)" };
        var cloneUrl = new Option<string?>("--clone-url") { Description = "The repository's clone URL (default: the repository URL + .git)" };
        var repositoryName = new Option<string?>("--repository-name") { Description = "Repository name (default: the project name)" };
        var branch = new Option<string?>("--branch") { Description = "The repository's main branch (selected_branch)", DefaultValueFactory = _ => "master" };
        var command = new ExampleCommand("add", Examples.Describe("Create a project. Its report token is printed once: keep it for CI.",
            "buildhooks projects add --name api --repository-url https://github.com/acme/api --branch main"))
        {
            name, repositoryUrl, cloneUrl, repositoryName, branch,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var html = parse.GetValue(repositoryUrl);
            var body = new JsonObject
            {
                ["name"] = parse.GetValue(name),
                ["repository"] = new JsonObject
                {
                    ["name"] = parse.GetValue(repositoryName) ?? parse.GetValue(name),
                    ["selected_branch"] = parse.GetValue(branch),
                    ["html_url"] = html,
                    ["clone_url"] = parse.GetValue(cloneUrl) ?? (html is null ? null : html.TrimEnd('/') + ".git"),
                },
            };
            screen.Show(await api.PostAsync("api/projects", body, ct), p =>
            {
                ShowProject(screen, p);
                screen.Line($"[yellow]Report token (shown once, give it to CI as BUILDHOOKS_TOKEN):[/] {Markup.Escape(p.Str("report_token") ?? "-")}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Invocation cli)
    {
        var id = new Argument<long>("project-id") { Description = "The project's id" };
        var command = new ExampleCommand("show", Examples.Describe("Show one project.", "buildhooks projects show 1")) { id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/projects/{parse.GetValue(id)}", ct), p => ShowProject(screen, p));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(Invocation cli)
    {
        var id = new Argument<long>("project-id") { Description = "The project's id" };
        var command = new ExampleCommand("remove", Examples.Describe("Delete a project with its hooks, builds and deliveries.", "buildhooks projects remove 1")) { id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            await api.DeleteAsync($"api/projects/{parse.GetValue(id)}", ct);
            Removed.Print(screen, "project", parse.GetValue(id));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void ShowProject(Screen screen, System.Text.Json.JsonElement p)
    {
        var repository = p.Obj("repository");
        screen.Fields(
            ("id", p.Str("id")), ("key", p.Str("key")), ("name", p.Str("name")),
            ("repository", repository.Str("name")), ("branch", repository.Str("selected_branch")),
            ("html url", repository.Str("html_url")), ("clone url", repository.Str("clone_url")), ("created", p.Time("created_at")));
    }
}
