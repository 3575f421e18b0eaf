using System.Net.Http.Json;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Requests as a client would send them, including bodies the typed helpers cannot express.</summary>
public static class ApiHttp
{
    public static Task<HttpResponseMessage> SendRawAsync(
        this HttpClient client, HttpMethod method, string path, string body, string contentType = "application/json") =>
        client.SendRawAsync(method, path, Encoding.UTF8.GetBytes(body), contentType);

    public static async Task<HttpResponseMessage> SendRawAsync(
        this HttpClient client, HttpMethod method, string path, byte[] body, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = JsonContent.Create(body, options: BuildHooksServer.Json),
        };
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> SendEmptyAsync(this HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        return await client.SendAsync(request);
    }
}
