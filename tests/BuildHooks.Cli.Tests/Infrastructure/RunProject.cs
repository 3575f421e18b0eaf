using System.Globalization;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>
/// What a test of <c>run</c> starts from, fresh each test: a git repository to run in, a receiver, the admin's CLI on the
/// test server, and a project whose one hook (magnum, JSON) posts to the receiver.
/// </summary>
public sealed class RunProject : IAsyncDisposable
{
    private RunProject(GitRepository repository, Receiver receiver, Cli cli, string id)
    {
        Repository = repository;
        Receiver = receiver;
        Cli = cli;
        Id = id;
    }

    public GitRepository Repository { get; }

    public Receiver Receiver { get; }

    public Cli Cli { get; }

    /// <summary>The project's id, as --project takes it.</summary>
    public string Id { get; }

    public static async Task<RunProject> CreateAsync(string serverUrl)
    {
        var repository = await GitRepository.CreateAsync();
        var receiver = await Receiver.StartAsync("/hook");
        var cli = Cli.For(serverUrl, repository.Directory);
        var project = await cli.JsonAsync("projects", "add", "--name", "cli-run", "--repository-url", "https://github.com/acme/cli-run");
        var id = project.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await cli.JsonAsync("hooks", "add", "--project", id, receiver.Url, "--format", "magnum", "--content-type", "json");
        return new RunProject(repository, receiver, cli, id);
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        Repository.Dispose();
    }
}
