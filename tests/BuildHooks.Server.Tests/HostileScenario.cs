using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>One hook pointed at a misbehaving receiver, one build reported, and its delivery read back through the API.</summary>
internal static class HostileScenario
{
    /// <summary>Creates a project with one hook at <paramref name="url"/>, reports a build and returns the hook's delivery id.</summary>
    public static async Task<(long ProjectId, long HookId, long DeliveryId)> DeliverOneBuildAsync(
        this BuildHooksServer server, string url, int maxAttempts = 2, int timeoutSeconds = 5)
    {
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new
        {
            url,
            format = "standard",
            content_type = "json",
            max_attempts = maxAttempts,
            timeout_seconds = timeoutSeconds,
        })).Id();
        await server.ReportBuildAsync(projectId);
        var deliveries = await server.OfHookAsync(hookId);
        return (projectId, hookId, Assert.Single(deliveries).Id());
    }

    /// <summary>Waits until the delivery has failed for good after every one of its attempts, and returns it.</summary>
    public static Task<JsonElement> WaitUntilFailedAsync(this BuildHooksServer server, long deliveryId, int seconds = 20) =>
        server.WaitForDeliveryAsync(deliveryId, d => d.Str("status") == "failed", seconds);

    /// <summary>Waits until the delivery has at least <paramref name="count"/> attempts logged.</summary>
    public static Task<JsonElement> WaitForAttemptsAsync(this BuildHooksServer server, long deliveryId, int count, int seconds = 20) =>
        server.WaitForDeliveryAsync(deliveryId, d => d.GetProperty("attempt_count").GetInt32() >= count, seconds);

    public static List<JsonElement> Attempts(this JsonElement delivery) =>
        delivery.GetProperty("attempts").EnumerateArray().ToList();

    public static string? Error(this JsonElement attempt) => attempt.GetProperty("error").GetString();

    public static int? StatusCode(this JsonElement attempt) =>
        attempt.GetProperty("status_code").ValueKind == JsonValueKind.Null ? null : attempt.GetProperty("status_code").GetInt32();

    public static int DurationMs(this JsonElement attempt) => attempt.GetProperty("duration_ms").GetInt32();

    public static DateTimeOffset NextAttemptAt(this JsonElement delivery) =>
        delivery.GetProperty("next_attempt_at").GetDateTimeOffset();

    /// <summary>
    /// The log of a network failure: every attempt failed without a status code, with a one-line error a person can read
    /// (no exception type names or stack traces), and the delivery was retried up to its limit and then failed.
    /// </summary>
    public static void AssertRetriedNetworkFailure(JsonElement delivery, int attempts, string expectedError)
    {
        Assert.Equal("failed", delivery.Str("status"));
        var log = delivery.Attempts();
        Assert.Equal(attempts, log.Count);
        Assert.All(log, a =>
        {
            Assert.False(a.GetProperty("succeeded").GetBoolean());
            Assert.Null(a.StatusCode());
            var error = a.Error();
            Assert.NotNull(error);
            Assert.Contains(expectedError, error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.DoesNotContain(error, char.IsControl);
        });
        Assert.Equal(Enumerable.Range(1, attempts), log.Select(a => a.GetProperty("number").GetInt32()));
    }
}
