using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>The real server in-process on a free loopback port with its own SQLite file (as the server tests start it).</summary>
public sealed class WebServer : IAsyncDisposable
{
    public const string AdminToken = "web-test-admin-token";

    private readonly WebApplication _app;

    private WebServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Api = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    /// <summary>A client without credentials, for calls a CI job makes with a report token.</summary>
    public HttpClient Api { get; }

    public static async Task<WebServer> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "buildhooks-web-tests", Guid.NewGuid().ToString("N"));
        var config = new Dictionary<string, string?>
        {
            ["BuildHooks:DataDirectory"] = dataDirectory,
            ["BuildHooks:AdminToken"] = AdminToken,
            // The test receiver lives on loopback, which deliveries may not reach by default.
            ["BuildHooks:Delivery:AllowedNetworks:0"] = "127.0.0.0/8",
            ["BuildHooks:Delivery:AllowedNetworks:1"] = "::1",
        };
        var app = await BuildHooks.Server.BuildHooksApp.CreateAsync([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebServer(app, address);
    }

    /// <summary>Reports a finished build the way CI does: with the project's report token.</summary>
    public async Task<JsonElement> ReportBuildAsync(long projectId, string reportToken, string status = "pass")
    {
        var finished = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/builds")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["commit"] = "e91e132612d263d95211aae6de2df9e503f22704",
                ["author"] = "Dan Sosedoff",
                ["message"] = "Fix the login screen",
                ["branch"] = "master",
                ["status"] = status,
                ["started_at"] = finished.AddSeconds(-158),
                ["finished_at"] = finished,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reportToken);
        using var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Reporting a build failed with {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
