using System.CommandLine;
using BuildHooks.Cli.Artifacts;
using BuildHooks.Cli.Rendering;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

/// <summary><c>buildhooks builds artifacts &lt;build id&gt;</c>: a build's files with their size, SHA-256 and download URL.</summary>
public static class BuildArtifactsCommand
{
    public static Command Create(Invocation cli)
    {
        var id = new Argument<long>("build-id") { Description = "The build's id (not its number)" };
        var command = new ExampleCommand("artifacts", Examples.Describe(
            "List a build's artifacts with their size, SHA-256 and download URL (the URL carries the build's access token: anyone with it can download).",
            "buildhooks builds artifacts 42",
            "buildhooks builds artifacts 42 --json | jq -r '.[].download_url'")) { id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/builds/{parse.GetValue(id)}/artifacts", ct), artifacts =>
            {
                if (!artifacts.Items().Any())
                {
                    screen.Note($"build {parse.GetValue(id)} has no artifacts");
                    return;
                }

                var table = Screen.Table("name", "size", "type", "sha256");
                foreach (var a in artifacts.Items())
                {
                    table.AddRow(Json.Cell(a.Str("name")), Json.Cell(a.Obj("size").ValueKind == System.Text.Json.JsonValueKind.Number ? ArtifactUploader.Size(a.Obj("size").GetInt64()) : null),
                        Json.Cell(a.Str("content_type")), Json.Cell(a.Str("sha256")));
                }

                screen.Write(table);

                // Whole lines, outside the table, so a long URL is never wrapped and can be copied as it is.
                foreach (var a in artifacts.Items())
                {
                    screen.Context.Out.WriteLine($"{a.Str("name")}: {a.Str("download_url")}");
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
