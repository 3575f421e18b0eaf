using BuildHooks.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BuildHooks.Server.Tests;

/// <summary>Crash runs load both cores; they run alone so the timing-sensitive tests beside them stay honest.</summary>
[CollectionDefinition(nameof(CrashTests), DisableParallelization = true)]
public sealed class CrashCollection;

[Collection(nameof(CrashTests))]
public sealed class CrashTests(ITestOutputHelper output)
{
    /// <summary>The dispatcher's default bound on deliveries held in memory: what a crash can have sent but not recorded.</summary>
    private const int MaxInFlight = 4000;
    private const int Hooks = 50;
    private const int BuildsPerBurst = 400;
    private static readonly int Kills = CrashSettings.Kills;

    [Fact]
    public async Task Kill_9_in_the_middle_of_bursts_loses_no_delivery_and_duplicates_only_what_was_in_flight()
    {
        var random = CrashSettings.Random(output);
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-crash-").FullName;
        await using var receiver = await CountingReceiver.StartAsync();
        var burst = new CrashBurst(receiver, dataDirectory, Hooks);
        var server = await ServerProcess.StartAsync(dataDirectory);
        try
        {
            await burst.CreateAsync(server);
            for (var kill = 1; kill <= Kills; kill++)
            {
                // Each burst queues 20,000 deliveries at once; the kill lands after a random share of them has arrived.
                var before = receiver.Total;
                var duplicatesBefore = receiver.Duplicates;
                var threshold = before + random.Next(BuildsPerBurst * Hooks / 20, BuildsPerBurst * Hooks * 8 / 10);
                var started = DateTime.UtcNow;
                await burst.QueueBurstAsync(server, BuildsPerBurst);
                var queued = DateTime.UtcNow - started;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (receiver.Total < threshold)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"Only {receiver.Total - before} deliveries arrived in 60 s:\n{server.RecentOutput}");
                    await Task.Delay(random.Next(1, 5));
                }

                await server.KillAsync();
                var counts = await burst.StatusCountsAsync();
                output.WriteLine($"kill {kill}: burst of {BuildsPerBurst * Hooks} queued in {queued.TotalSeconds:0.0} s, killed after {receiver.Total - before} arrivals; in the file: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");

                // The server starts cleanly on the file a crash left, and resumes.
                server = await ServerProcess.StartAsync(dataDirectory);
                // It resumes at once: the rest of the burst, and what was sent but not recorded, arrive again.
                await burst.WaitAllSucceededAsync(server, TimeSpan.FromSeconds(60));
                var duplicatesOfKill = receiver.Duplicates - duplicatesBefore;
                output.WriteLine($"  duplicates after restart {kill}: {duplicatesOfKill}");
                Assert.InRange(duplicatesOfKill, 0, MaxInFlight);
            }

            var deliveries = await burst.AllDeliveriesAsync(server);
            await server.TerminateAsync(TimeSpan.FromSeconds(30));

            // Every delivery of every hook succeeded, and arrived at least once under its own webhook-id.
            Assert.All(deliveries, d => Assert.Equal("succeeded", d.Str("status")));
            var expected = deliveries.Select(d => d.Str("webhook_id")).ToHashSet(StringComparer.Ordinal);
            var missing = expected.Where(id => !receiver.ById.ContainsKey(id)).ToList();
            var unknown = receiver.ById.Keys.Where(id => !expected.Contains(id)).ToList();
            var duplicates = receiver.Duplicates;
            output.WriteLine($"deliveries {expected.Count}, arrivals {receiver.Total}, kills {Kills}, duplicates {duplicates}, lost {missing.Count}, unknown ids {unknown.Count}, acknowledged builds {burst.AcknowledgedBuilds.Count}");
            Assert.Equal(Kills * BuildsPerBurst * Hooks, expected.Count);
            Assert.Empty(missing);
            Assert.Empty(unknown);
            // A duplicate is a delivery sent but not yet recorded when the process died: at most what was in flight, per kill.
            Assert.InRange(duplicates, 0, Kills * MaxInFlight);
            Assert.All(receiver.ById, pair => Assert.InRange(pair.Value, 1, 1 + Kills));
            await burst.AssertLogConsistentAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Sigterm_in_the_middle_of_a_burst_finishes_or_releases_what_is_in_flight_without_duplicates()
    {
        const int builds = 100;
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-sigterm-").FullName;
        await using var receiver = await CountingReceiver.StartAsync();
        var burst = new CrashBurst(receiver, dataDirectory, Hooks);
        var server = await ServerProcess.StartAsync(dataDirectory);
        try
        {
            await burst.CreateAsync(server);
            await burst.QueueBurstAsync(server, builds);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (receiver.Total < builds * Hooks / 3)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {receiver.Total} deliveries arrived in 60 s:\n{server.RecentOutput}");
                await Task.Delay(2);
            }

            var stopping = DateTime.UtcNow;
            await server.TerminateAsync(TimeSpan.FromSeconds(30));
            var stopped = DateTime.UtcNow - stopping;
            Assert.True(server.ExitCode == 0, $"Exit code {server.ExitCode}:\n{server.RecentOutput}");
            output.WriteLine($"SIGTERM after {receiver.Total} arrivals, exited in {stopped.TotalSeconds:0.0} s; in the file: {string.Join(", ", (await burst.StatusCountsAsync()).Select(c => $"{c.Key} {c.Value}"))}");

            server = await ServerProcess.StartAsync(dataDirectory);
            await burst.WaitAllSucceededAsync(server, TimeSpan.FromSeconds(60));
            var deliveries = await burst.AllDeliveriesAsync(server);
            await server.TerminateAsync(TimeSpan.FromSeconds(30));

            output.WriteLine($"deliveries {deliveries.Count}, arrivals {receiver.Total}, duplicates {receiver.Duplicates}");
            Assert.All(deliveries, d => Assert.True(receiver.ById.ContainsKey(d.Str("webhook_id")), $"Delivery {d.Id()} never arrived"));
            Assert.Equal(deliveries.Count, receiver.ById.Count);
            Assert.Equal(0, receiver.Duplicates);
            await burst.AssertLogConsistentAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }
}
