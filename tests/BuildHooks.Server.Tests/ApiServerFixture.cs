using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>One real server shared by the tests of a class that only need a server, not a fresh one.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public BuildHooksServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await BuildHooksServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
