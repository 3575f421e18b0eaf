using System.Net.Http.Headers;
using System.Text;

namespace BuildHooks.Baseline.Hangfire;

/// <summary>One delivery as one Hangfire job; a non-2xx answer throws, so Hangfire's own retries take over.</summary>
public sealed class WebhookJob(IHttpClientFactory clients)
{
    public const string Client = "webhooks";

    public async Task SendAsync(string url, string webhookId, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("webhook-id", webhookId);
        using var response = await clients.CreateClient(Client).SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
