using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildHooks.Cli.Api;

/// <summary>The REST API of a BuildHooks server: success is an <see cref="ApiResponse"/>, a refusal an <see cref="ApiException"/>, no answer a <see cref="ServerUnreachableException"/>.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Connection _connection;

    public ApiClient(Connection connection, TimeSpan? timeout = null)
    {
        _connection = connection;
        // Redirects are not followed: HttpClient drops the token on the way (a misleading 401) and turns a redirected POST
        // into a GET. The API never redirects, so one means --url names the wrong address, and the user is told which.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = connection.Server,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("buildhooks-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3)));
    }

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>
    /// A POST the server does at most once per <paramref name="idempotencyKey"/> (sent as Idempotency-Key): sent again after
    /// its answer was lost, it reaches what the first made (<see cref="ApiResponse.Replayed"/> when nothing more was done).
    /// </summary>
    public Task<ApiResponse> PostAsync(string path, JsonNode body, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, Json(body), idempotencyKey, cancellationToken);

    public Task<ApiResponse> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Patch, path, body, cancellationToken);

    public Task<ApiResponse> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendContentAsync(method, path, body is null ? null : Json(body), cancellationToken);

    /// <summary>Sends any body, such as a multipart artifact upload.</summary>
    public Task<ApiResponse> SendContentAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, null, cancellationToken);

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // Paths are relative ("api/..."), so a server mounted under a prefix (https://ci.example.com/buildhooks/) works too.
        var relative = path.TrimStart('/');
        using var request = new HttpRequestMessage(method, new Uri(relative, UriKind.Relative)) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException(_connection.Server, ServerText.Printable(Reason(e)));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException(_connection.Server, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new ApiException((int)response.StatusCode, Redirected(relative, response), text);
            }

            if ((int)response.StatusCode is 502 or 503 or 504)
            {
                // A proxy or load balancer's "cannot reach it for now" (a deploy, a restart): BuildHooks did not answer, so
                // this is unreachable, not a refusal, and 'run' keeps its report for 'builds flush' instead of losing it.
                throw new ServerUnreachableException(_connection.Server,
                    $"{(int)response.StatusCode} {ServerText.Printable(response.ReasonPhrase ?? "")} (a proxy in front of it, or the server, is unavailable for now)");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ApiException((int)response.StatusCode, ServerText.Printable(Describe(response, text)), text);
            }

            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values)
                && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
            return new ApiResponse((int)response.StatusCode, text, replayed);
        }
    }

    /// <summary>What to do about a redirect: the address it points to, less the API path asked for, is what --url should say.</summary>
    private string Redirected(string path, HttpResponseMessage response)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.Headers.Location is not { } location)
        {
            return $"{status} without a Location: {_connection.Server} redirects instead of answering; check --url.";
        }

        var target = location.IsAbsoluteUri ? location : new Uri(new Uri(_connection.Server, path), location);
        var absolute = target.GetLeftPart(UriPartial.Path);
        var asked = path.Split('?')[0];
        var suggestion = absolute.EndsWith("/" + asked, StringComparison.Ordinal) ? absolute[..^asked.Length] : null;
        return $"{status}: {_connection.Server} redirects to {target}, and redirects are not followed (they would drop the token)."
            + (suggestion is null ? " Check --url." : $" Use --url {suggestion} (or BUILDHOOKS_URL, or 'buildhooks login').");
    }

    /// <summary>
    /// Why no answer came. HttpClient's own message for a connection that broke mid-answer is "Error while copying
    /// content to a stream", which says nothing; the exception beneath it says what happened.
    /// </summary>
    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        AuthenticationException tls => "TLS failed: " + tls.Message,
        IOException io => "the connection broke: " + (io.InnerException ?? io).Message,
        _ => e.Message,
    };

    /// <summary>Problem Details as one readable paragraph: title, detail and each field error.</summary>
    private static string Describe(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var text = new StringBuilder($"{status} ");
            text.Append(Text(root, "title") ?? "Error");
            if (Text(root, "detail") is { } detail)
            {
                text.Append(": ").Append(detail);
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var message in field.Value.EnumerateArray())
                    {
                        text.Append(Environment.NewLine).Append("  ").Append(field.Name).Append(": ").Append(message.GetString());
                    }
                }
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            // Not the server's Problem Details: a proxy's or another program's page, which may be long; its start tells which.
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            return body.Length == 0
                ? $"{status} {response.ReasonPhrase} (no body)"
                : $"{status} {response.ReasonPhrase}, not a BuildHooks answer ({type}): {ServerText.Excerpt(body)} Check --url.";
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();
}
