using System.Text.Json;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>Reading the delivery log the way a user does: through the API.</summary>
public static class Deliveries
{
    public static async Task<List<JsonElement>> OfHookAsync(this BuildHooksServer server, long hookId, string? status = null) =>
        (await server.GetAsync($"/api/hooks/{hookId}/deliveries" + (status is null ? "" : $"?status={status}"))).EnumerateArray().ToList();

    /// <summary>Waits until the hook has <paramref name="count"/> deliveries in <paramref name="status"/>.</summary>
    public static async Task<List<JsonElement>> WaitForHookAsync(this BuildHooksServer server, long hookId, string status, int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var rows = await server.OfHookAsync(hookId, status);
            if (rows.Count >= count)
            {
                return rows;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Hook {hookId} has {rows.Count} {status} deliveries, expected {count}: {JsonSerializer.Serialize(await server.OfHookAsync(hookId))}");
            await Task.Delay(50);
        }
    }

    public static long Id(this JsonElement e) => e.GetProperty("id").GetInt64();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
