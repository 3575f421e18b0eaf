using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using BuildHooks.Cli.Commands;

namespace BuildHooks.Cli;

public static partial class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliContext.FromProcess());

    /// <summary>The whole CLI; tests call this in-process with their own output, environment and working directory.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var cli = new Invocation(context);
        var root = CreateRoot(cli);

        // No @response-file expansion: "buildhooks run -- cmd @file" must pass @file to the command untouched.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && !Examples.IsHelp(parse))
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("buildhooks: " + Plain(error.Message));
            }

            var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? ["buildhooks"] : Path(parse));
            await context.Error.WriteLineAsync($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }

        // After Ctrl+C, run still kills the command and reports the build as an error: give it time for that.
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand CreateRoot(Invocation cli)
    {
        var documentation = Examples.Describe(
            "BuildHooks command-line client: manage projects, hooks, builds and deliveries of a BuildHooks server, and wrap a build command as a reported build.\n"
            + "Exit codes: 0 ok, 1 the server said no (not found, invalid, not allowed), 2 usage error or no server/token configured, 3 server unreachable; "
            + "'run' exits with the wrapped command's own status.",
            "buildhooks login --url http://127.0.0.1:8080 --token bha_...",
            "buildhooks projects add --name api --repository-url https://github.com/acme/api",
            "buildhooks hooks add --project 1 https://example.com/hooks/ci --trigger fail --trigger fixed",
            "buildhooks run --project 1 -- make test");
        var root = new RootCommand(documentation.Description) { cli.Url, cli.Token, cli.Json };
        Examples.Install(root, documentation);
        root.Subcommands.Add(LoginCommand.Create(cli));
        root.Subcommands.Add(ProjectsCommand.Create(cli));
        root.Subcommands.Add(HooksCommand.Create(cli));
        root.Subcommands.Add(BuildsCommand.Create(cli));
        root.Subcommands.Add(DeliveriesCommand.Create(cli));
        root.Subcommands.Add(RunCommand.Create(cli));
        return root;
    }

    /// <summary>
    /// System.CommandLine names the .NET type a value did not parse as ("System.Nullable`1[System.Int32]"); a user needs
    /// to hear what to type instead.
    /// </summary>
    private static string Plain(string message) => ExpectedType().Replace(message, m => "as " + m.Groups[1].Value switch
    {
        "Int32" or "Int64" => "a whole number",
        "Double" or "Decimal" => "a number",
        "DateTimeOffset" or "DateTime" => "a date and time, such as 2026-11-27T10:00:00Z",
        "Boolean" => "true or false",
        var other => other,
    });

    [GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'")]
    private static partial Regex ExpectedType();

    private static IEnumerable<string> Path(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "buildhooks" : result.Command.Name);
        }

        return names;
    }
}
