using System.Buffers;
using System.Globalization;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BuildHooks.Core;
using BuildHooks.Core.Payloads;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery.Network;
using Microsoft.Extensions.Options;

namespace BuildHooks.Delivery.Sending;

/// <summary>
/// Makes one signed attempt through the shared pooled clients (see <see cref="DeliveryClients"/>) and reports what came back.
/// It never throws for a receiver's behaviour: refusals, timeouts and broken responses are results.
/// </summary>
public sealed class HookSender(OutboundGuard guard, TimeProvider time, IOptions<DeliveryOptions> options) : IDisposable
{
    private readonly DeliveryClients _clients = new(guard);

    // Both header logs are written per attempt, in one synchronous go each.
    private static readonly PerThreadJsonWriter LogWriter = new(default);

    public static readonly string UserAgent = $"BuildHooks/{typeof(HookSender).Assembly.GetName().Version?.ToString(3)}";

    public async Task<SendResult> SendAsync(OutgoingRequest outgoing, CancellationToken cancellationToken)
    {
        var url = new Uri(outgoing.Url);
        using var request = Build(outgoing, url, out var loggedHeaders);
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(outgoing.Timeout);
        // Set once the status line has come: a failure after it happened while reading the body, which the log must say,
        // or a receiver that answered 200 and then stalled or hung up looks like one that never answered.
        int? answered = null;
        try
        {
            using var response = await _clients.For(outgoing.AllowInsecureTls).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            answered = (int)response.StatusCode;
            var body = await ReadPrefixAsync(response.Content, options.Value.MaxResponseBodyBytes, timeout.Token);
            var code = (int)response.StatusCode;
            var succeeded = code is >= 200 and < 300;
            string? error = null;
            if (code is >= 300 and < 400)
            {
                // Redirects are never followed: a hook must point at its receiver, and following could reach a blocked address.
                error = $"Redirect ({code}) to {response.Headers.Location?.ToString() ?? "(no Location)"} not followed: update the hook's URL.";
            }

            return new SendResult(succeeded, code, loggedHeaders, HeadersJson(response), body,
                Stopwatch.GetElapsedTime(started), error, RetryAfter(response));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
        {
            // The handler's connect timeout, shorter than the hook's: the receiver never accepted the connection.
            return Failure($"Timed out after {DeliveryClients.ConnectTimeout.TotalSeconds:0.#} s connecting to {url.Host}:{url.Port} (connect timeout)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure($"Timed out after {outgoing.Timeout.TotalSeconds:0.#} s waiting for {url.Host} (the hook's timeout)");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Failure(ErrorText.For(e, url));
        }

        SendResult Failure(string error) =>
            new(false, null, loggedHeaders, null, null, Stopwatch.GetElapsedTime(started),
                answered is { } status ? $"{error}; it had answered {status}, and its body did not finish arriving" : error, null);
    }

    public void Dispose() => _clients.Dispose();

    private HttpRequestMessage Build(OutgoingRequest outgoing, Uri url, out string loggedHeaders)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(outgoing.Payload),
            Version = HttpVersion.Version11,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", outgoing.ContentType);

        // Written once into the request and, as they were sent, into the attempt log (runs per attempt, so no dictionaries).
        var log = LogWriter.Start();
        log.WriteStartObject();
        log.WriteString("Content-Type", outgoing.ContentType);
        Add("User-Agent", UserAgent);
        Add("webhook-id", outgoing.WebhookId);
        Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        Add("webhook-signature", WebhookSigner.StandardSignature(outgoing.WebhookId, timestamp, outgoing.Payload, outgoing.Secrets));
        Add("X-Hub-Signature-256", WebhookSigner.GitHubSignature(outgoing.Payload, outgoing.Secrets[0]));
        Add("X-BuildHooks-Event", PayloadRenderer.EventType);
        Add("X-BuildHooks-Attempt", outgoing.AttemptNumber.ToString(CultureInfo.InvariantCulture));
        if (outgoing.IsTest)
        {
            Add("X-BuildHooks-Test", "true");
        }

        foreach (var (name, value) in outgoing.CustomHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            log.WriteString(name, HeaderRedaction.Value(name, value));
        }

        log.WriteEndObject();
        loggedHeaders = LogText();
        return request;

        void Add(string name, string value)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            log.WriteString(name, value);
        }
    }

    /// <summary>Keeps the first bytes of the body only, so a receiver answering 100 MB costs 16 KB.</summary>
    private static async Task<string> ReadPrefixAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var filled = 0;
            int read;
            while (filled < limit && (read = await stream.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, Utf8PrefixLength(buffer.AsSpan(0, filled), limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// How many of <paramref name="bytes"/> decode to text that is itself at most <paramref name="limit"/> bytes of UTF-8:
    /// a character cut by the limit is dropped rather than mended into a three-byte U+FFFD, and so is every byte past
    /// the point where invalid bytes, each stored as U+FFFD, would take the text over the limit.
    /// </summary>
    private static int Utf8PrefixLength(ReadOnlySpan<byte> bytes, int limit)
    {
        int consumed = 0, size = 0;
        while (consumed < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[consumed..], out var rune, out var length);
            if (status == OperationStatus.NeedMoreData || size + rune.Utf8SequenceLength > limit)
            {
                break;
            }

            size += rune.Utf8SequenceLength;
            consumed += length;
        }

        return consumed;
    }

    /// <summary>
    /// The response headers for the attempt log, read through the non-validating view: parsing every
    /// header into typed values (the default enumerator) costs more than the rest of a fast attempt.
    /// </summary>
    private static string HeadersJson(HttpResponseMessage response)
    {
        var json = LogWriter.Start();
        json.WriteStartObject();
        Write(json, response.Headers.NonValidated);
        Write(json, response.Content.Headers.NonValidated);
        json.WriteEndObject();
        return LogText();

        static void Write(Utf8JsonWriter json, HttpHeadersNonValidated headers)
        {
            foreach (var (name, values) in headers)
            {
                json.WriteString(name, HeaderRedaction.Value(name, values.Count == 1 ? values.ToString() : string.Join(", ", values)));
            }
        }
    }

    private static string LogText() => LogWriter.Finish(static json => Encoding.UTF8.GetString(json));

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable &&
        response.Headers.TryGetValues("Retry-After", out var values)
            ? RetryPolicy.ParseRetryAfter(values.FirstOrDefault(), time.GetUtcNow())
            : null;
}
