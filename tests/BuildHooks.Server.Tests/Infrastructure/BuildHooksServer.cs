using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// The server tests' <see cref="InProcessServer"/>: on its own database (a SQLite file, or a PostgreSQL database: see
/// <see cref="TestDatabase"/>), with fast retries, its logged errors kept, and API helpers; restartable on the same data directory.
/// </summary>
public sealed class BuildHooksServer : IAsyncDisposable
{
    private readonly InProcessServer _server;

    private BuildHooksServer(InProcessServer server, ServerErrors errors)
    {
        _server = server;
        Errors = errors;
    }

    public static readonly JsonSerializerOptions Json = CreateJson();

    public string DataDirectory => _server.DataDirectory;

    /// <summary>What the server logged at Error or worse, with exceptions.</summary>
    public ServerErrors Errors { get; }
    public string BaseUrl => _server.BaseUrl;
    public HttpClient Admin => _server.Admin;
    public HttpClient Anonymous => _server.Anonymous;

    /// <summary>Starts a server. By default loopback is allowed (test receivers live there) and retries come fast.</summary>
    public static async Task<BuildHooksServer> StartAsync(string? dataDirectory = null, IDictionary<string, string?>? settings = null)
    {
        dataDirectory ??= InProcessServer.NewDataDirectory();
        var config = new Dictionary<string, string?>
        {
            ["BuildHooks:Delivery:RetrySchedule:0"] = "00:00:00.200",
            ["BuildHooks:Delivery:RetrySchedule:1"] = "00:00:00.300",
            // The fuzz tests send thousands of requests a run; the rate limit has tests of its own.
            ["BuildHooks:RateLimit:PermitLimit"] = "1000000",
        };
        foreach (var (key, value) in await TestDatabase.SettingsAsync(dataDirectory))
        {
            config[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var errors = new ServerErrors();
        return new BuildHooksServer(await InProcessServer.StartAsync(dataDirectory, config, errors), errors);
    }

    public Task StopAsync() => _server.StopAsync();

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await Admin.PostAsJsonAsync(path, body, Json);
        return await ReadAsync(response, expected);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonElement> PatchAsync(string path, object body)
    {
        using var response = await Admin.PatchAsJsonAsync(path, body, Json);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a project and returns (id, report token).</summary>
    public async Task<(long Id, string ReportToken)> CreateProjectAsync(string name = "project-name")
    {
        var project = await PostAsync("/api/projects", new
        {
            name,
            repository = new { name, selected_branch = "master", html_url = $"https://github.com/acme/{name}", clone_url = $"https://github.com/acme/{name}.git" },
        });
        return (project.GetProperty("id").GetInt64(), project.GetProperty("report_token").GetString()!);
    }

    public async Task<JsonElement> CreateHookAsync(long projectId, object hook) =>
        await PostAsync($"/api/projects/{projectId}/hooks", hook);

    public async Task<JsonElement> ReportBuildAsync(long projectId, string status = "pass", string branch = "master", string commit = "e91e132612d263d95211aae6de2df9e503f22704")
    {
        var finished = DateTimeOffset.UtcNow;
        return await PostAsync($"/api/projects/{projectId}/builds", new
        {
            commit,
            author = "Dan Sosedoff",
            committer = "Dan Sosedoff",
            message = "Commit Message",
            branch,
            status,
            started_at = finished.AddSeconds(-158),
            finished_at = finished,
        });
    }

    /// <summary>Polls the delivery log until <paramref name="done"/> holds; the log is what a user would read.</summary>
    public async Task<JsonElement> WaitForDeliveryAsync(long deliveryId, Func<JsonElement, bool> done, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var delivery = await GetAsync($"/api/deliveries/{deliveryId}");
            if (done(delivery))
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Delivery {deliveryId} did not reach the expected state: {delivery}");
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApplicationServices.Configure(json);
        return json;
    }
}
