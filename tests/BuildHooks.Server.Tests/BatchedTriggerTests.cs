using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Reports that arrive together are recorded in one transaction, which remembers numbers and each branch's
/// latest status between them. Fixed and broken must still follow the order the server numbered the builds in,
/// exactly as if each had been recorded alone.
/// </summary>
public sealed class BatchedTriggerTests
{
    [Fact]
    public async Task A_concurrent_burst_on_two_branches_fires_fixed_and_broken_exactly_where_the_numbered_history_changes()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        await server.CreateHookAsync(projectId, new { url = receiver.Url + "/fixed", format = "standard", content_type = "json", triggers = new[] { "fixed" } });
        await server.CreateHookAsync(projectId, new { url = receiver.Url + "/broken", format = "standard", content_type = "json", triggers = new[] { "broken" } });
        await server.CreateHookAsync(projectId, new { url = receiver.Url + "/any", format = "standard", content_type = "json", triggers = new[] { "any" } });

        // Seeded, so a failure can be replayed; 120 reports in flight 24 at a time end up in shared batches.
        var random = new Random(6);
        var reports = Enumerable.Range(0, 120)
            .Select(_ => (Branch: random.Next(3) == 0 ? "feature" : "master", Status: random.Next(3) switch { 0 => "pass", 1 => "fail", _ => "error" }))
            .ToList();
        var builds = new List<JsonElement>();
        foreach (var chunk in reports.Chunk(24))
        {
            builds.AddRange(await Task.WhenAll(chunk.Select(r => server.ReportBuildAsync(projectId, r.Status, r.Branch))));
        }

        // What a user would expect: walk each branch in build-number order and see where the status turned.
        var expectedFixed = new SortedSet<int>();
        var expectedBroken = new SortedSet<int>();
        foreach (var branch in builds.OrderBy(b => b.GetProperty("number").GetInt32()).GroupBy(b => b.GetProperty("branch").GetString()))
        {
            string? previous = null;
            foreach (var build in branch)
            {
                var status = build.GetProperty("status").GetString();
                if (status == "pass" && previous is "fail" or "error")
                {
                    expectedFixed.Add(build.GetProperty("number").GetInt32());
                }
                else if (status is "fail" or "error" && previous == "pass")
                {
                    expectedBroken.Add(build.GetProperty("number").GetInt32());
                }

                previous = status;
            }
        }

        Assert.Equal(Enumerable.Range(1, 120), builds.Select(b => b.GetProperty("number").GetInt32()).Order());
        Assert.NotEmpty(expectedFixed);
        Assert.NotEmpty(expectedBroken);

        // Every build reaches the "any" hook, so once those are in, every fixed and broken delivery is too.
        var all = await receiver.WaitForAsync(120 + expectedFixed.Count + expectedBroken.Count);
        Assert.Equal(120, all.Count(r => r.Path == "/any"));
        Assert.Equal(expectedFixed, Numbers(all, "/fixed"));
        Assert.Equal(expectedBroken, Numbers(all, "/broken"));
    }

    private static SortedSet<int> Numbers(IEnumerable<ReceivedRequest> requests, string path) =>
        [.. requests.Where(r => r.Path == path)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("build").GetProperty("number").GetInt32())];
}
