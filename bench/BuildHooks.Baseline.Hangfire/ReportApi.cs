using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;

namespace BuildHooks.Baseline.Hangfire;

/// <summary>
/// The slice of the BuildHooks API that the benchmark drives, with the same routes and shapes, so
/// that one reporter and one receiver measure both. Payloads carry the Standard envelope's
/// <c>data.build.commit</c>, which is what the receiver matches on.
/// </summary>
public static class ReportApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok());

        app.MapPost("/api/projects", (Registry registry) =>
        {
            var id = registry.AddProject();
            return Results.Json(new Dictionary<string, object> { ["id"] = id, ["report_token"] = "baseline" }, statusCode: 201);
        });

        app.MapPost("/api/projects/{id:int}/hooks", async (int id, HttpRequest request, Registry registry) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            if (!registry.Hooks.TryGetValue(id, out var hooks) || body?["url"]?.GetValue<string>() is not { } url)
            {
                return Results.NotFound();
            }

            hooks.Add(url);
            return Results.Json(new Dictionary<string, object> { ["id"] = hooks.Count }, statusCode: 201);
        });

        app.MapPost("/api/projects/{id:int}/builds", async (int id, HttpRequest request, Registry registry, IBackgroundJobClient jobs) =>
        {
            var build = await JsonNode.ParseAsync(request.Body);
            if (!registry.Hooks.TryGetValue(id, out var hooks) || build is null)
            {
                return Results.NotFound();
            }

            var payload = new JsonObject
            {
                ["type"] = "build.finished",
                ["timestamp"] = DateTimeOffset.UtcNow,
                ["data"] = new JsonObject { ["build"] = build, ["project"] = new JsonObject { ["id"] = id } },
            }.ToJsonString();
            foreach (var url in hooks)
            {
                var webhookId = "msg_" + Guid.NewGuid().ToString("N");
                jobs.Enqueue<WebhookJob>(job => job.SendAsync(url, webhookId, payload));
            }

            return Results.Json(new Dictionary<string, object> { ["id"] = id }, statusCode: 201);
        });
    }
}
