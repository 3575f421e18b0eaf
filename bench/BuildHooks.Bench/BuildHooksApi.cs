using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildHooks.Bench;

/// <summary>The slice of the BuildHooks REST API that the benchmark drives, spoken as a CI fleet would.</summary>
public sealed class BuildHooksApi(Uri baseAddress, string adminToken)
{
    /// <summary>
    /// One client for the whole run: its connections are pooled and reused, so the report phase
    /// measures the server and not TCP handshakes.
    /// </summary>
    public static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(100),
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // Every build in the run claims the same times: the payload's size stays constant and they are not what is measured.
    private static readonly DateTimeOffset FinishedAt = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset StartedAt = FinishedAt.AddSeconds(-158);

    /// <summary>The server's own default, stated so that every hook the bench creates says what it gets.</summary>
    public const int DefaultMaxAttempts = 8;

    public string AdminToken => adminToken;

    public async Task<CreatedProject> CreateProjectAsync(string name, CancellationToken ct)
    {
        var body = new
        {
            name,
            repository = new { name, selected_branch = "main", html_url = $"https://example.com/{name}", clone_url = $"https://example.com/{name}.git" },
        };
        using var created = await CreateAsync("api/projects", body, ct);
        var root = created.RootElement;
        var reportToken = root.TryGetProperty("report_token", out var token) ? token.GetString() : null;
        return new CreatedProject(root.GetProperty("id").ToString(), reportToken);
    }

    /// <returns>The new hook's id.</returns>
    public async Task<string> CreateHookAsync(string projectId, Uri url, int timeoutSeconds, int maxAttempts, CancellationToken ct)
    {
        var body = new { url, format = "standard", content_type = "json", triggers = new[] { "any" }, max_attempts = maxAttempts, timeout_seconds = timeoutSeconds };
        using var created = await CreateAsync($"api/projects/{projectId}/hooks", body, ct);
        return created.RootElement.GetProperty("id").ToString();
    }

    /// <returns>The project's hooks as the API shows them (enabled, consecutive_failures, disabled_reason...).</returns>
    public async Task<JsonElement> ListHooksAsync(string projectId, CancellationToken ct) => await GetAsync($"api/projects/{projectId}/hooks", ct);

    /// <summary>
    /// Counts a hook's deliveries in one status, and the attempts made on them, by paging through its delivery
    /// list: no endpoint gives counts, so this costs a request per 500 deliveries and suits one hook, not a million rows.
    /// </summary>
    public async Task<(long Deliveries, long Attempts)> CountDeliveriesAsync(string hookId, string status, CancellationToken ct)
    {
        const int Page = 500;
        var (deliveries, attempts) = (0L, 0L);
        var before = "";
        while (true)
        {
            var page = await GetAsync($"api/hooks/{hookId}/deliveries?status={status}&limit={Page}{before}", ct);
            foreach (var delivery in page.EnumerateArray())
            {
                deliveries++;
                attempts += delivery.GetProperty("attempt_count").GetInt64();
            }

            var rows = page.GetArrayLength();
            if (rows < Page)
            {
                return (deliveries, attempts);
            }

            before = $"&before={page[rows - 1].GetProperty("id")}";
        }
    }

    /// <returns>Null when the build was accepted (201), else the status and the server's explanation.</returns>
    public async Task<ReportFailure?> ReportBuildAsync(string projectId, string token, string commit, CancellationToken ct)
    {
        var body = new
        {
            commit,
            author = "Bench",
            committer = "Bench",
            message = "bench",
            branch = "main",
            status = "pass",
            result = 0,
            started_at = StartedAt,
            finished_at = FinishedAt,
        };
        using var request = Request($"api/projects/{projectId}/builds", token, body);
        using var response = await Http.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.Created
            ? null
            : new ReportFailure(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private async Task<JsonDocument> CreateAsync(string path, object body, CancellationToken ct)
    {
        using var request = Request(path, adminToken, body);
        using var response = await Http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode} instead of 201: {problem}");
        }

        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", adminToken) } };
        using var response = await Http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    private HttpRequestMessage Request(string path, string token, object body) => new(HttpMethod.Post, new Uri(baseAddress, path))
    {
        // Sized, like curl and the buildhooks CLI send it: JsonContent would stream it chunked, which costs the server
        // a body pipe per report that no real reporter makes it pay.
        Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };
}
