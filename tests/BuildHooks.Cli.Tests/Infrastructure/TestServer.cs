using BuildHooks.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>The real BuildHooks server on a free loopback port with its own SQLite file; loopback receivers allowed.</summary>
public sealed class TestServer : IAsyncLifetime
{
    public const string AdminToken = "cli-test-admin-token";

    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var config = new Dictionary<string, string?>
        {
            ["BuildHooks:DataDirectory"] = Path.Combine(Path.GetTempPath(), "buildhooks-cli-tests", Guid.NewGuid().ToString("N")),
            ["BuildHooks:AdminToken"] = AdminToken,
            ["BuildHooks:Delivery:AllowedNetworks:0"] = "127.0.0.0/8",
            ["BuildHooks:Delivery:AllowedNetworks:1"] = "::1",
        };
        _app = await BuildHooksApp.CreateAsync([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
