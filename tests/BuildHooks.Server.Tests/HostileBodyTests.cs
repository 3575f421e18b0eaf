using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Alone, so that what it measures of this process's memory is the sender's and not another test's.</summary>
[CollectionDefinition(nameof(HostileBodyTests), DisableParallelization = true)]
public sealed class HostileBodyCollection;

/// <summary>A receiver that answers 200 with far more body than anyone should read.</summary>
[Collection(nameof(HostileBodyTests))]
public sealed class HostileBodyTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private const int KeptBytes = 16 * 1024;

    [Fact]
    public async Task Hundred_megabyte_answer_succeeds_keeps_only_the_first_16_KB_and_memory_stays_flat()
    {
        await using var server = await BuildHooksServer.StartAsync();
        // Three-byte characters, so the 16 KB cut falls inside one: the log must not grow past 16 KB mending it.
        var body = new StreamedBody(HundredMegabytes, "€");
        await using var receiver = RawReceiver.Start(body.ServeAsync);

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = WorkingSet();
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakManagedMemoryAsync(sampling.Token);

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, maxAttempts: 1, timeoutSeconds: 30);
        var delivery = await server.WaitForDeliveryAsync(deliveryId, d => d.Str("status") != "pending", seconds: 30);

        await sampling.CancelAsync();
        var peakManaged = await peak;
        var workingSetGrowth = WorkingSet() - workingSetBefore;

        Assert.Equal("succeeded", delivery.Str("status"));
        var attempt = Assert.Single(delivery.Attempts());
        Assert.Equal(200, attempt.StatusCode());
        var kept = attempt.GetProperty("response_body").GetString()!;
        Assert.InRange(Encoding.UTF8.GetByteCount(kept), KeptBytes - 3, KeptBytes);
        Assert.Equal(string.Concat(Enumerable.Repeat("€", kept.Length)), kept);

        // The server runs in this process: had it buffered the body, 100 MB would have been alive at once.
        Assert.True(peakManaged - baseline < 40 * 1024 * 1024, $"Managed memory grew by {(peakManaged - baseline) / 1024 / 1024} MB.");
        Assert.True(workingSetGrowth < 60 * 1024 * 1024, $"Working set grew by {workingSetGrowth / 1024 / 1024} MB.");
        // And it stopped reading: the receiver could not push the whole body down the connection.
        Assert.True(body.Written < HundredMegabytes / 2, $"The receiver wrote {body.Written / 1024 / 1024} MB before the sender hung up.");
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static async Task<long> SamplePeakManagedMemoryAsync(CancellationToken cancellationToken)
    {
        long peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            try
            {
                await Task.Delay(5, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Streams a repeated text of the given length from one reused buffer, counting what the sender's socket accepted.</summary>
    private sealed class StreamedBody(long length, string unit)
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
        {
            await RawReceiver.ReadRequestAsync(socket, cancellationToken);
            var unitBytes = Encoding.UTF8.GetBytes(unit);
            var chunk = new byte[unitBytes.Length * 21_000];
            for (var i = 0; i < chunk.Length; i += unitBytes.Length)
            {
                unitBytes.CopyTo(chunk, i);
            }

            var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {length}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
            // A raw socket, so TCP's flow control tells exactly how much the sender took: a send blocks while it
            // does not read and fails once it has hung up.
            while (_written < length)
            {
                var size = (int)Math.Min(chunk.Length, length - _written);
                await socket.SendAsync(chunk.AsMemory(0, size), cancellationToken);
                Interlocked.Add(ref _written, size);
            }
        }
    }
}
