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
        _http = new HttpClient { BaseAddress = connection.Server, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("buildhooks-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3)));
    }

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiResponse> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Patch, path, body, cancellationToken);

    public Task<ApiResponse> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendContentAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Sends any body, such as a multipart artifact upload.</summary>
    public async Task<ApiResponse> SendContentAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        // Paths are relative ("api/..."), so a server mounted under a prefix (https://ci.example.com/buildhooks/) works too.
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative)) { Content = content };

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException(_connection.Server, e.InnerException is AuthenticationException ? "TLS failed: " + e.InnerException.Message : e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException(_connection.Server, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiException((int)response.StatusCode, Describe((int)response.StatusCode, text), text);
            }

            return new ApiResponse((int)response.StatusCode, text);
        }
    }

    /// <summary>Problem Details as one readable paragraph: title, detail and each field error.</summary>
    private static string Describe(int status, string body)
    {
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
            return body.Length == 0 ? $"{status} (no body)" : $"{status}: {body}";
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();
}
