using System.Diagnostics;
using System.Net.Http.Headers;

namespace BuildHooks.Bench;

/// <summary>
/// Floods the receiver with the delivery payload from a pooled client: the request rate this
/// machine can reach on loopback at all, against which the server's delivery rate is read.
/// </summary>
public static class CeilingProbe
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<CeilingResult> RunAsync(Uri target, byte[] body, bool realPayload, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(256, concurrency),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        // A short warm-up lets connections open and the JIT settle before anything is counted.
        var warmUp = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, duration.Ticks / 5));
        var window = new CeilingWindow(Stopwatch.GetTimestamp() + Ticks(warmUp), Ticks(duration));
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => FloodAsync(client, target, body, window, ct), ct));
        await Task.WhenAll(workers);

        return new CeilingResult(window.Requests, window.Errors, duration, concurrency, body.Length, realPayload);
    }

    private static async Task FloodAsync(HttpClient client, Uri target, byte[] body, CeilingWindow window, CancellationToken ct)
    {
        while (Stopwatch.GetTimestamp() < window.End)
        {
            bool ok;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;

                // Same header weight as a signed Standard Webhooks delivery.
                request.Headers.TryAddWithoutValidation("webhook-id", "msg_2x9K7bQ1wZ4mN8pR3tV6yA0cE5");
                request.Headers.TryAddWithoutValidation("webhook-timestamp", "1764072000");
                request.Headers.TryAddWithoutValidation("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
                request.Headers.TryAddWithoutValidation("User-Agent", "BuildHooks-Bench");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                ok = false;
            }

            window.Count(Stopwatch.GetTimestamp(), ok);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
