using System.Buffers;
using BuildHooks.Core.Model;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Bins;

/// <summary>
/// The capture endpoint <c>/bins/{key}[/anything]</c>: any method, no token. It records the request and answers
/// with the bin's status. The caps keep it from being a way to fill the disk: the first MaxBodyBytes of a body
/// are kept (the rest is read and dropped, up to the server's body limit), and a bin keeps its newest
/// MaxRequests captures, the oldest dropped as new ones arrive.
/// </summary>
public static class BinCapture
{
    public static async Task<IResult> CaptureAsync(
        string key, HttpContext context, BinStore bins, BuildHooksDb db, WriteGate gate, BinSignal signal,
        IOptions<BinOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await bins.FindAsync(key, cancellationToken) is not { } bin)
        {
            return Missing(key);
        }

        var settings = options.Value;
        var (body, size) = await ReadAsync(context.Request.Body, Math.Max(0, settings.MaxBodyBytes), cancellationToken);
        var request = context.Request;
        var prefix = $"/bins/{key}".Length;
        var capture = new BinRequest
        {
            BinId = bin.Id,
            Method = request.Method,
            Path = request.Path.Value is { } path && path.Length > prefix ? path[prefix..] : "",
            Query = request.QueryString.Value ?? "",
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ContentType = request.ContentType,
            Body = body,
            BodySize = size,
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            ReceivedAt = time.GetUtcNow(),
        };

        var stored = await db.WriteAsync(gate, async () =>
        {
            // Checked inside the write: the bin may have been deleted or pruned since it was looked up.
            if (!await db.Bins.AnyAsync(b => b.Id == bin.Id, cancellationToken))
            {
                return false;
            }

            db.BinRequests.Add(capture);
            await db.SaveChangesAsync(cancellationToken);
            var oldestKept = await db.BinRequests.Where(r => r.BinId == bin.Id).OrderByDescending(r => r.Id)
                .Skip(Math.Max(1, settings.MaxRequests) - 1).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
            if (oldestKept is { } oldest)
            {
                await db.BinRequests.Where(r => r.BinId == bin.Id && r.Id < oldest).ExecuteDeleteAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);
        if (!stored)
        {
            return Missing(key);
        }

        signal.Notify(bin.Id);
        // Deliveries may reach a bin where loopback is otherwise blocked (see OwnBins); closing the connection
        // keeps the sender's pool from reusing it for a request to any other path of this server.
        context.Response.Headers.Connection = "close";
        return bin.ResponseStatus is 204 or 205 or 304
            ? TypedResults.StatusCode(bin.ResponseStatus)
            : TypedResults.Json(new { captured = true, bin = bin.Key, id = capture.Id }, statusCode: bin.ResponseStatus);
    }

    private static ProblemHttpResult Missing(string key) =>
        TypedResults.Problem(statusCode: 404, title: "Request bin not found",
            detail: $"There is no request bin '{(key.Length > 64 ? key[..64] + "…" : key)}'; it may have expired or been deleted. Create a new one on the Request bins page or with POST /api/bins.");

    /// <summary>Keeps the first <paramref name="keep"/> bytes and counts the rest.</summary>
    private static async Task<(byte[] Kept, long Size)> ReadAsync(Stream body, int keep, CancellationToken cancellationToken)
    {
        var kept = new ArrayBufferWriter<byte>(Math.Min(keep, 16 * 1024) + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long size = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var room = (int)Math.Min(read, Math.Max(0, keep - kept.WrittenCount));
                if (room > 0)
                {
                    kept.Write(buffer.AsSpan(0, room));
                }

                size += read;
            }

            return (kept.WrittenSpan.ToArray(), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
