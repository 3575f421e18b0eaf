using System.CommandLine;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;

namespace BuildHooks.Cli.Commands;

/// <summary>The options every command shares and the one place that turns failures into exit codes.</summary>
public sealed class Invocation(CliContext context)
{
    public CliContext Context { get; } = context;

    public Option<string?> Url { get; } = new("--url")
    {
        Description = "Server address, e.g. http://127.0.0.1:8080 (else BUILDHOOKS_URL, else the login profile)",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Admin token, or a project's report token for reporting (else BUILDHOOKS_TOKEN, else the login profile)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON as it came, for scripts",
        Recursive = true,
    };

    public Connection Connect(ParseResult parse) => Connection.Resolve(parse.GetValue(Url), parse.GetValue(Token), Context);

    /// <summary>Sets an action that talks to the server; <paramref name="timeout"/> replaces the client's 30 s wait for an answer.</summary>
    public void OnApi(Command command, Func<ParseResult, ApiClient, Screen, CancellationToken, Task<int>> action, TimeSpan? timeout = null) =>
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, async screen =>
        {
            using var api = new ApiClient(Connect(parse), timeout);
            return await action(parse, api, screen, cancellationToken);
        }));

    /// <summary>Sets an action; every failure becomes a message on standard error and its exit code.</summary>
    public void On(Command command, Func<ParseResult, Screen, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, cancellationToken) => GuardAsync(parse, screen => action(parse, screen, cancellationToken)));

    private async Task<int> GuardAsync(ParseResult parse, Func<Screen, Task<int>> action)
    {
        var screen = new Screen(Context, parse.GetValue(Json));
        try
        {
            return await action(screen);
        }
        catch (UsageException e)
        {
            screen.Note("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (ApiException e)
        {
            screen.Note("the server said no: " + e.Message);
            return ExitCodes.Refused;
        }
        catch (ServerUnreachableException e)
        {
            screen.Note(e.Message);
            return ExitCodes.Unreachable;
        }
        catch (System.Text.Json.JsonException e)
        {
            // A proxy's HTML page where the API should be, or a server that is not BuildHooks.
            screen.Note($"the answer was not the JSON of a BuildHooks server ({e.Message}); check --url.");
            return ExitCodes.Refused;
        }
    }
}
