using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>
/// A proxy on loopback in front of the test server that passes every request on, and loses the answer to the ones
/// <see cref="LoseAnswer"/> picks after the server has handled them: it answers only after <see cref="Stall"/> (past the
/// CLI's timeout), or at once with a 504 when <see cref="Stall"/> is zero, as a load balancer that gave up would.
/// </summary>
public sealed class LossyProxy : IAsyncDisposable
{
    private readonly Receiver _receiver;
    private readonly HttpClient _server;

    private LossyProxy(Receiver receiver, string serverUrl)
    {
        _receiver = receiver;
        _server = new HttpClient { BaseAddress = new Uri(serverUrl) };
        receiver.Respond = ForwardAsync;
    }

    public string Url => _receiver.Url;

    /// <summary>Every request that came through, as it came.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _receiver.Requests;

    public Func<ReceivedRequest, int, bool> LoseAnswer { get; set; } = (_, _) => false;

    public TimeSpan Stall { get; set; }

    public static async Task<LossyProxy> StartAsync(string serverUrl) => new(await Receiver.StartAsync(), serverUrl);

    private async Task<IResult> ForwardAsync(ReceivedRequest request, int index)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Path.TrimStart('/'), UriKind.Relative));
        if (request.Body.Length > 0 || request.Method is "POST" or "PATCH" or "PUT")
        {
            forward.Content = new ByteArrayContent(request.Body);
            if (request.Headers.TryGetValue("Content-Type", out var type))
            {
                forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        foreach (var name in new[] { "Authorization", "Idempotency-Key", "User-Agent" })
        {
            if (request.Headers.TryGetValue(name, out var value))
            {
                forward.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var answer = await _server.SendAsync(forward);
        var body = await answer.Content.ReadAsStringAsync();
        if (LoseAnswer(request, index))
        {
            if (Stall == TimeSpan.Zero)
            {
                return Results.StatusCode(504);
            }

            await Task.Delay(Stall);
        }

        return Results.Content(body, answer.Content.Headers.ContentType?.ToString(), statusCode: (int)answer.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _server.Dispose();
    }
}
