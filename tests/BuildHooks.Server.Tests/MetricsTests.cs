using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// /metrics as Prometheus scrapes it, from the real server in a process of its own: a process's meters are shared by
/// every server in it, so in-process servers of parallel tests would count each other's deliveries.
/// </summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_count_the_builds_deliveries_and_attempts_the_delivery_log_holds_and_need_the_admin_token()
    {
        const int builds = 3;
        await using var healthy = await Receiver.StartAsync();
        await using var failing = await Receiver.StartAsync();
        failing.Status = 500;
        // Answers 503 to a hook with attempts left: each delivery waits for its retry, pending but not due.
        await using var retried = await Receiver.StartAsync();
        retried.Status = 503;
        // Holds every request until the end: its deliveries are in flight, pending and due while the metrics are read.
        await using var hanging = await Receiver.StartAsync();
        hanging.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-metrics-").FullName;
        // Retries far off, so the retried deliveries are counted once and stay pending while the test reads.
        await using var server = await ServerProcess.StartAsync(dataDirectory, new Dictionary<string, string> { ["BuildHooks__Delivery__RetrySchedule__0"] = "00:10:00" });

        var projectId = (await Cluster.PostAsync(server, "/api/projects", new { name = "metrics", repository = new { name = "metrics", selected_branch = "master" } }))
            .GetProperty("id").GetInt64();
        await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = healthy.Url });
        await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = failing.Url, max_attempts = 1 });
        await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = hanging.Url, timeout_seconds = 60 });
        await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = retried.Url, max_attempts = 3 });
        for (var i = 0; i < builds; i++)
        {
            await Cluster.ReportAsync(server, projectId);
        }

        await healthy.WaitForAsync(builds);
        await failing.WaitForAsync(builds);
        await hanging.WaitForAsync(builds);
        await retried.WaitForAsync(builds);

        // Counted once the attempts are written, a moment after the receivers had them.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var started = DateTime.UtcNow;
        string text;
        while (true)
        {
            text = await server.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if ((Sample(text, "buildhooks_attempts_total", "failed") == builds && Sample(text, "buildhooks_attempts_total", "retrying") == builds) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(builds, Sample(text, "buildhooks_builds_recorded_total"));
        Assert.Equal(4 * builds, Sample(text, "buildhooks_deliveries_created_total"));
        Assert.Equal(builds, Sample(text, "buildhooks_attempts_total", "succeeded"));
        Assert.Equal(builds, Sample(text, "buildhooks_attempts_total", "failed"));
        Assert.Equal(builds, Sample(text, "buildhooks_attempts_total", "retrying"));
        Assert.Equal(builds, Sample(text, "buildhooks_attempt_duration_seconds_count", "succeeded"));
        Assert.Equal(builds, Sample(text, "buildhooks_deliveries_in_flight"));
        // The held ones and the ones waiting for their retry.
        Assert.Equal(2 * builds, Sample(text, "buildhooks_deliveries_pending"));
        // The held ones: due since they were reported, at most the few seconds this test has taken; not yet answered.
        var oldestDue = Sample(text, "buildhooks_deliveries_oldest_due_seconds");
        Assert.True(oldestDue > 0 && oldestDue < (DateTime.UtcNow - started).TotalSeconds + 30, $"oldest due: {oldestDue} s");
        Assert.NotNull(Sample(text, "dotnet_gc_heap_total_allocated_bytes_total"));
        // SQLite's single writer reports how long it was held; PostgreSQL has no such gate, and Npgsql reports its pool.
        var writerBusy = Sample(text, "buildhooks_database_writer_busy_time_seconds_total");
        var poolMaximum = Sample(text, "db_client_connection_max");
        if (TestDatabase.IsPostgres)
        {
            Assert.Null(writerBusy);
            Assert.True(poolMaximum > 0, $"pool maximum: {poolMaximum}");
        }
        else
        {
            Assert.True(writerBusy > 0, $"writer busy time: {writerBusy}");
            Assert.Null(poolMaximum);
        }

        hanging.Gate.SetResult();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var refused = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("buildhooks_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_button_attempts_are_counted_whether_the_receiver_took_them_or_not()
    {
        await using var healthy = await Receiver.StartAsync();
        await using var failing = await Receiver.StartAsync();
        failing.Status = 500;
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-metrics-").FullName;
        await using var server = await ServerProcess.StartAsync(dataDirectory);
        var projectId = (await Cluster.PostAsync(server, "/api/projects", new { name = "metrics" })).GetProperty("id").GetInt64();
        var healthyHook = (await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = healthy.Url })).GetProperty("id").GetInt64();
        var failingHook = (await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = failing.Url })).GetProperty("id").GetInt64();

        foreach (var (hook, succeeded) in new[] { (healthyHook, true), (failingHook, false), (failingHook, false) })
        {
            using var response = await server.Admin.PostAsync(new Uri($"/api/projects/{projectId}/hooks/{hook}/test", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"\"succeeded\":{(succeeded ? "true" : "false")}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The delivery log holds three test attempts, one taken and two refused; the metric says the same.
        var text = await server.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(1, Sample(text, "buildhooks_attempts_total", "succeeded"));
        Assert.Equal(2, Sample(text, "buildhooks_attempts_total", "failed"));
        Assert.Null(Sample(text, "buildhooks_attempts_total", "retrying"));
    }

    /// <summary>The value of one sample in Prometheus' text format, by name and optionally its <c>outcome</c> label; null if absent.</summary>
    private static double? Sample(string text, string name, string? outcome = null)
    {
        foreach (Match m in SampleLine().Matches(text))
        {
            var labels = m.Groups["labels"].Value;
            if (m.Groups["name"].Value == name && (outcome is null || labels.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
