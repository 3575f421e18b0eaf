using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Hook fields a user can get wrong: each is a 400 validation problem that names the field, on create and on patch.</summary>
public sealed class ApiHookValidationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string Url = "http://127.0.0.1:9/hooks/build";

    private BuildHooksServer Server => fixture.Server;

    public static TheoryData<string, string, object> InvalidHooks => new()
    {
        { "url", "url", new { url = "" } },
        { "url", "url", new { url = "/hooks/build" } },
        { "url", "url", new { url = "example.com/hooks" } },
        { "url", "url", new { url = "ftp://127.0.0.1/hooks" } },
        { "url", "url", new { url = "file:///etc/passwd" } },
        { "url", "url", new { url = "javascript:alert(1)" } },
        { "url", "url", new { url = "http://user:password@127.0.0.1:9/hooks" } },
        { "url", "url", new { url = "http://127.0.0.1:9/" + new string('a', 2100) } },
        { "format", "format", new { url = Url, format = "travis" } },
        { "format", "format", new { url = Url, format = "1" } },
        { "content_type", "content_type", new { url = Url, content_type = "xml" } },
        { "triggers", "sometimes", new { url = Url, triggers = new[] { "pass", "sometimes" } } },
        { "triggers", "triggers", new { url = Url, triggers = Array.Empty<string>() } },
        { "triggers", "'0'", new { url = Url, triggers = new[] { "0" } } },
        { "branches", "branch", new { url = Url, branches = new[] { "" } } },
        { "max_attempts", "max_attempts", new { url = Url, max_attempts = 0 } },
        { "max_attempts", "max_attempts", new { url = Url, max_attempts = 1000 } },
        { "max_attempts", "max_attempts", new { url = Url, max_attempts = -1 } },
        { "timeout_seconds", "timeout_seconds", new { url = Url, timeout_seconds = 0 } },
        { "timeout_seconds", "timeout_seconds", new { url = Url, timeout_seconds = 3600 } },
        { "headers", "webhook-id", new { url = Url, headers = new Dictionary<string, string> { ["webhook-id"] = "mine" } } },
        { "headers", "Webhook-Signature", new { url = Url, headers = new Dictionary<string, string> { ["Webhook-Signature"] = "v1,forged" } } },
        { "headers", "Content-Type", new { url = Url, headers = new Dictionary<string, string> { ["Content-Type"] = "text/plain" } } },
        { "headers", "X-Hub-Signature-256", new { url = Url, headers = new Dictionary<string, string> { ["X-Hub-Signature-256"] = "sha256=00" } } },
        { "headers", "Host", new { url = Url, headers = new Dictionary<string, string> { ["Host"] = "evil.example" } } },
        { "headers", "X-BuildHooks-Attempt", new { url = Url, headers = new Dictionary<string, string> { ["X-BuildHooks-Attempt"] = "1" } } },
        { "headers", "X-Note", new { url = Url, headers = new Dictionary<string, string> { ["X-Note"] = "one\r\nX-Injected: two" } } },
        { "headers", "X-Note", new { url = Url, headers = new Dictionary<string, string> { ["X-Note"] = "line\nbreak" } } },
        { "headers", "Bad Name", new { url = Url, headers = new Dictionary<string, string> { ["Bad Name"] = "x" } } },
        { "headers", "X-Null", new { url = Url, headers = new Dictionary<string, string?> { ["X-Null"] = null } } },
        { "triggers", "not a trigger", new { url = Url, triggers = new string?[] { null } } },
        { "headers", "X-Colon:", new { url = Url, headers = new Dictionary<string, string> { ["X-Colon:"] = "x" } } },
        { "headers", "X-Empty", new { url = Url, headers = new Dictionary<string, string> { ["X-Empty"] = "" } } },
        // "Keep the stored credential" with none stored: neither an empty Authorization nor the literal placeholder is stored.
        { "headers", "'Authorization' has no stored value", new { url = Url, headers = new Dictionary<string, string> { ["Authorization"] = "" } } },
        { "headers", "'Authorization' has no stored value", new { url = Url, headers = new Dictionary<string, string> { ["Authorization"] = "[REDACTED]" } } },
        { "url", "control characters", new { url = Url + "\u0000" } },
        { "branches", "branches[1]", new { url = Url, branches = new[] { "main", "ma\u0000ster" } } },
        { "triggers", "control characters", new { url = Url, triggers = new[] { "fail\u0001" } } },
        { "headers", "X-Nul", new { url = Url, headers = new Dictionary<string, string> { ["X-Nul"] = "a\u0000b" } } },
        // HttpClient refuses such a value at send time: every delivery of the hook failed with "must contain only ASCII".
        { "headers", "ASCII", new { url = Url, headers = new Dictionary<string, string> { ["X-Team"] = "Zürich" } } },
        { "format", "control characters", new { url = Url, format = "standard\u001b" } },
    };

    [Theory]
    [MemberData(nameof(InvalidHooks))]
    public async Task An_invalid_hook_is_a_400_problem_that_points_at_the_mistake(string field, string mention, object hook)
    {
        var (projectId, _) = await Server.CreateProjectAsync("invalid-hook");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", hook);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field, mention);
        Assert.Empty((await Server.GetAsync($"/api/projects/{projectId}/hooks")).EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(InvalidHooks))]
    public async Task An_invalid_patch_is_a_400_problem_and_changes_nothing(string field, string mention, object patch)
    {
        var (projectId, _) = await Server.CreateProjectAsync("invalid-patch");
        var id = (await Server.CreateHookAsync(projectId, new { url = Url })).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{id}", patch);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field, mention);
        var hook = await Server.GetAsync($"/api/projects/{projectId}/hooks/{id}");
        Assert.Equal(Url, hook.GetProperty("url").GetString());
        Assert.Equal(8, hook.GetProperty("max_attempts").GetInt32());
        Assert.Empty(hook.GetProperty("headers").EnumerateObject());
    }

    [Fact]
    public async Task A_hook_without_a_url_is_a_400_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("no-url");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", new { format = "magnum" });

        await ApiProblemAssert.IsInvalidFieldAsync(response, "url");
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var (projectId, _) = await Server.CreateProjectAsync("many-mistakes");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks",
            new { url = "ftp://x", format = "xml", triggers = new[] { "maybe" }, max_attempts = 0, timeout_seconds = 0 });

        var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "url", "format", "maybe", "max_attempts", "timeout_seconds");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "url", "format", "triggers", "max_attempts", "timeout_seconds" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"errors.{field} missing in {problem}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Max_attempts_accepts_the_ends_of_its_range(int maxAttempts)
    {
        var (projectId, _) = await Server.CreateProjectAsync("edges");

        var hook = await Server.CreateHookAsync(projectId, new { url = Url, max_attempts = maxAttempts, timeout_seconds = 120 });

        Assert.Equal(maxAttempts, hook.GetProperty("max_attempts").GetInt32());
        Assert.Equal(120, hook.GetProperty("timeout_seconds").GetInt32());
    }

    [Fact]
    public async Task Names_are_read_case_insensitively()
    {
        var (projectId, _) = await Server.CreateProjectAsync("casing");

        var hook = await Server.CreateHookAsync(projectId, new { url = "HTTPS://127.0.0.1:9/x", format = "ShipIO", content_type = "JSON", triggers = new[] { "Pass", "FIXED" } });

        Assert.Equal("shipio", hook.GetProperty("format").GetString());
        Assert.Equal("json", hook.GetProperty("content_type").GetString());
        Assert.Equal(["pass", "fixed"], hook.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
    }
}
