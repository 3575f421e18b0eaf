using System.Net;
using BuildHooks.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BuildHooks.Server.Tests;

/// <summary>
/// kill -9 while many clients are reporting builds: every report the server answered with 201 survives with its build
/// and one delivery per hook, and each of those deliveries arrives at least once after the restart.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class CrashIngestTests(ITestOutputHelper output)
{
    private const int Hooks = 10;
    private const int BuildsPerRound = 5000;
    private static readonly int Kills = CrashSettings.Kills;

    [Fact]
    public async Task Kill_9_while_clients_report_builds_keeps_every_acknowledged_build_and_delivers_all_its_hooks()
    {
        var random = CrashSettings.Random(output);
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-crash-ingest-").FullName;
        await using var receiver = await CountingReceiver.StartAsync();
        var burst = new CrashBurst(receiver, dataDirectory, Hooks);
        var server = await ServerProcess.StartAsync(dataDirectory);
        try
        {
            await burst.CreateAsync(server);
            for (var kill = 1; kill <= Kills; kill++)
            {
                // CrashBurst.Reporters clients report as fast as the server acknowledges; the kill lands mid-stream.
                var before = burst.AcknowledgedBuilds.Count;
                var threshold = before + random.Next(50, 600);
                using var stop = new CancellationTokenSource();
                var reporting = burst.ReportAsync(server, BuildsPerRound, stop.Token);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (burst.AcknowledgedBuilds.Count < threshold && !reporting.IsCompleted)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"Only {burst.AcknowledgedBuilds.Count - before} builds acknowledged in 60 s:\n{server.RecentOutput}");
                    await Task.Delay(random.Next(1, 5));
                }

                await server.KillAsync();
                await stop.CancelAsync();
                await reporting;
                output.WriteLine($"kill {kill}: after {burst.AcknowledgedBuilds.Count - before} acknowledged reports, {receiver.Total} arrivals so far; in the file: {string.Join(", ", (await burst.StatusCountsAsync()).Select(c => $"{c.Key} {c.Value}"))}");

                server = await ServerProcess.StartAsync(dataDirectory);
                await burst.WaitAllSucceededAsync(server, TimeSpan.FromSeconds(90));
            }

            // Every acknowledged build is there, read back through the API.
            foreach (var buildId in burst.AcknowledgedBuilds)
            {
                using var build = await server.Admin.GetAsync(new Uri($"/api/builds/{buildId}", UriKind.Relative));
                Assert.True(build.StatusCode == HttpStatusCode.OK, $"Acknowledged build {buildId} answers {(int)build.StatusCode}");
            }

            var deliveries = await burst.AllDeliveriesAsync(server);
            await server.TerminateAsync(TimeSpan.FromSeconds(30));

            var expected = deliveries.Select(d => d.Str("webhook_id")).ToHashSet(StringComparer.Ordinal);
            var missing = expected.Where(id => !receiver.ById.ContainsKey(id)).ToList();
            output.WriteLine($"acknowledged builds {burst.AcknowledgedBuilds.Count}, deliveries {expected.Count}, arrivals {receiver.Total}, duplicates {receiver.Duplicates}, lost {missing.Count}, kills {Kills}");
            Assert.True(expected.Count >= burst.AcknowledgedBuilds.Count * Hooks, $"{expected.Count} deliveries for {burst.AcknowledgedBuilds.Count} acknowledged builds × {Hooks} hooks");
            Assert.All(deliveries, d => Assert.Equal("succeeded", d.Str("status")));
            Assert.Empty(missing);
            Assert.DoesNotContain(receiver.ById.Keys, id => !expected.Contains(id));
            // One delivery per hook for every build in the file, and every acknowledged build among them.
            await burst.AssertLogConsistentAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }
}
