namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>A class fixture around the shared <see cref="InProcessServer"/>: one real server per test class.</summary>
public sealed class TestServer : IAsyncLifetime
{
    private InProcessServer? _server;

    public string Url => _server?.BaseUrl ?? "";

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
