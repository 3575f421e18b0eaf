using System.Net.Http.Headers;
using BuildHooks.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Testing;

/// <summary>The real server in-process on a free loopback port with its own data directory, as every test project starts it.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";

    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, string dataDirectory, string baseUrl)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string DataDirectory { get; }

    public string BaseUrl { get; }

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Admin { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>A fresh directory under the temporary folder, for a server that keeps nothing from another.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "buildhooks-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Starts a server on <paramref name="dataDirectory"/> (a fresh one by default) with the admin token and loopback
    /// receivers allowed; <paramref name="settings"/> (the database, say) are added over those, and
    /// <paramref name="logger"/> also sees what the server logs.
    /// </summary>
    public static async Task<InProcessServer> StartAsync(
        string? dataDirectory = null, IEnumerable<KeyValuePair<string, string?>>? settings = null, ILoggerProvider? logger = null)
    {
        dataDirectory ??= NewDataDirectory();
        var config = new Dictionary<string, string?>
        {
            ["BuildHooks:DataDirectory"] = dataDirectory,
            ["BuildHooks:AdminToken"] = AdminToken,
            // The test receivers live on loopback, which deliveries may not reach by default.
            ["BuildHooks:Delivery:AllowedNetworks:0"] = "127.0.0.0/8",
            ["BuildHooks:Delivery:AllowedNetworks:1"] = "::1",
        };
        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        var app = await BuildHooksApp.CreateAsync([], builder =>
        {
            if (logger is not null)
            {
                builder.Logging.AddProvider(logger);
            }

            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var address = BoundAddress.Of(app);
        return new InProcessServer(app, dataDirectory, address);
    }

    /// <summary>Stops the server and keeps its data directory, so a test can start another on it.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
