using System.CommandLine;
using BuildHooks.Cli.Api;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

public static class LoginCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("login", Examples.Describe(
            "Save the server address and token in a profile (~/.config/buildhooks/profile.json, mode 600) used when neither flags nor BUILDHOOKS_URL/BUILDHOOKS_TOKEN give them.",
            "buildhooks login --url https://buildhooks.example.com --token bha_..."));
        cli.On(command, async (parse, screen, ct) =>
        {
            var url = parse.GetValue(cli.Url) ?? throw new UsageException("login needs --url <server address>.");
            var token = parse.GetValue(cli.Token) ?? throw new UsageException("login needs --token <admin or report token>.");
            var connection = Connection.Resolve(url, token, cli.Context);
            var path = await new Api.Profile(connection.Server.AbsoluteUri, token).SaveAsync(cli.Context, ct);
            if (screen.IsJson)
            {
                cli.Context.Out.WriteLine(new System.Text.Json.Nodes.JsonObject { ["url"] = connection.Server.AbsoluteUri, ["profile"] = path }.ToJsonString());
            }
            else
            {
                screen.Line($"Saved [bold]{Markup.Escape(connection.Server.AbsoluteUri)}[/] to {Markup.Escape(path)}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
