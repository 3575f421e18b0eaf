using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Hooks through the API: the secret shown once, defaults, changes, redaction and removal.</summary>
public sealed class ApiHooksTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string Url = "http://127.0.0.1:9/hooks/build";

    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task Creating_a_hook_returns_201_with_a_whsec_secret()
    {
        var (projectId, _) = await Server.CreateProjectAsync("hooked");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", new { url = Url });
        var hook = await BuildHooksServer.ReadAsync(response, HttpStatusCode.Created);

        var id = hook.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal($"/api/projects/{projectId}/hooks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(projectId, hook.GetProperty("project_id").GetInt64());
        Assert.Equal(Url, hook.GetProperty("url").GetString());
        var secret = hook.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24, "the secret carries at least 24 random bytes");
    }

    [Fact]
    public async Task Secret_is_never_shown_again_in_get_or_list()
    {
        var (projectId, _) = await Server.CreateProjectAsync("quiet");
        var created = await Server.CreateHookAsync(projectId, new { url = Url });
        var id = created.GetProperty("id").GetInt64();
        var secret = created.GetProperty("secret").GetString()!;

        var fetched = await Server.GetAsync($"/api/projects/{projectId}/hooks/{id}");
        var listed = await Server.GetAsync($"/api/projects/{projectId}/hooks");
        var patched = await Server.PatchAsync($"/api/projects/{projectId}/hooks/{id}", new { max_attempts = 3 });

        foreach (var view in new[] { fetched, patched, listed.EnumerateArray().Single() })
        {
            Assert.False(view.TryGetProperty("secret", out _), $"secret shown again: {view}");
            Assert.Equal(id, view.GetProperty("id").GetInt64());
        }

        Assert.DoesNotContain(secret["whsec_".Length..], listed.GetRawText() + fetched.GetRawText() + patched.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_hook_gets_its_own_secret()
    {
        var (projectId, _) = await Server.CreateProjectAsync("two-hooks");

        var first = await Server.CreateHookAsync(projectId, new { url = Url });
        var second = await Server.CreateHookAsync(projectId, new { url = Url });

        Assert.NotEqual(first.GetProperty("secret").GetString(), second.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task A_hook_with_only_a_url_gets_magnum_form_any_enabled_8_attempts_and_15_seconds()
    {
        var (projectId, _) = await Server.CreateProjectAsync("defaults");
        var created = await Server.CreateHookAsync(projectId, new { url = Url });

        var hook = await Server.GetAsync($"/api/projects/{projectId}/hooks/{created.GetProperty("id").GetInt64()}");

        Assert.Equal("magnum", hook.GetProperty("format").GetString());
        Assert.Equal("form", hook.GetProperty("content_type").GetString());
        Assert.Equal(["any"], hook.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(hook.GetProperty("branches").EnumerateArray());
        Assert.True(hook.GetProperty("enabled").GetBoolean());
        Assert.Equal(8, hook.GetProperty("max_attempts").GetInt32());
        Assert.Equal(15, hook.GetProperty("timeout_seconds").GetInt32());
        Assert.Empty(hook.GetProperty("headers").EnumerateObject());
        Assert.Equal(0, hook.GetProperty("consecutive_failures").GetInt32());
    }

    [Fact]
    public async Task Every_field_given_on_creation_is_kept()
    {
        var (projectId, _) = await Server.CreateProjectAsync("explicit");

        var hook = await Server.CreateHookAsync(projectId, new
        {
            url = "https://127.0.0.1:8443/ship",
            format = "shipio",
            content_type = "json",
            triggers = new[] { "fail", "fixed" },
            branches = new[] { "main", "release/*" },
            enabled = true,
            max_attempts = 1,
            timeout_seconds = 30,
            headers = new Dictionary<string, string> { ["X-Team"] = "ci" },
        });

        Assert.Equal("https://127.0.0.1:8443/ship", hook.GetProperty("url").GetString());
        Assert.Equal("shipio", hook.GetProperty("format").GetString());
        Assert.Equal("json", hook.GetProperty("content_type").GetString());
        Assert.Equal(["fail", "fixed"], hook.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["main", "release/*"], hook.GetProperty("branches").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, hook.GetProperty("max_attempts").GetInt32());
        Assert.Equal(30, hook.GetProperty("timeout_seconds").GetInt32());
        Assert.Equal("ci", hook.GetProperty("headers").GetProperty("X-Team").GetString());
    }

    [Fact]
    public async Task Patching_a_hook_changes_the_given_fields_and_keeps_the_rest()
    {
        var (projectId, _) = await Server.CreateProjectAsync("patched");
        var id = (await Server.CreateHookAsync(projectId, new { url = Url, branches = new[] { "main" } })).GetProperty("id").GetInt64();

        await Server.PatchAsync($"/api/projects/{projectId}/hooks/{id}", new
        {
            url = "http://127.0.0.1:9/elsewhere",
            format = "standard",
            content_type = "json",
            triggers = new[] { "broken" },
            max_attempts = 2,
            timeout_seconds = 5,
        });
        var hook = await Server.GetAsync($"/api/projects/{projectId}/hooks/{id}");

        Assert.Equal("http://127.0.0.1:9/elsewhere", hook.GetProperty("url").GetString());
        Assert.Equal("standard", hook.GetProperty("format").GetString());
        Assert.Equal("json", hook.GetProperty("content_type").GetString());
        Assert.Equal(["broken"], hook.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["main"], hook.GetProperty("branches").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, hook.GetProperty("max_attempts").GetInt32());
        Assert.Equal(5, hook.GetProperty("timeout_seconds").GetInt32());
        Assert.True(hook.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Disabling_a_hook_says_why_and_enabling_it_clears_the_reason()
    {
        var (projectId, _) = await Server.CreateProjectAsync("switch");
        var id = (await Server.CreateHookAsync(projectId, new { url = Url })).GetProperty("id").GetInt64();

        var disabled = await Server.PatchAsync($"/api/projects/{projectId}/hooks/{id}", new { enabled = false });
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(disabled.GetProperty("disabled_reason").GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, disabled.GetProperty("disabled_at").ValueKind);

        var enabled = await Server.PatchAsync($"/api/projects/{projectId}/hooks/{id}", new { enabled = true });
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabled_at").ValueKind);
    }

    [Fact]
    public async Task A_hook_created_disabled_says_so()
    {
        var (projectId, _) = await Server.CreateProjectAsync("born-off");

        var hook = await Server.CreateHookAsync(projectId, new { url = Url, enabled = false });

        Assert.False(hook.GetProperty("enabled").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(hook.GetProperty("disabled_reason").GetString()));
    }

    [Fact]
    public async Task Deleting_a_hook_is_204_and_then_it_is_a_404_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("unhooked");
        var id = (await Server.CreateHookAsync(projectId, new { url = Url })).GetProperty("id").GetInt64();

        using var deleted = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var fetched = await Server.Admin.GetAsync(new Uri($"/api/projects/{projectId}/hooks/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(fetched, HttpStatusCode.NotFound, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty((await Server.GetAsync($"/api/projects/{projectId}/hooks")).EnumerateArray());
        using var again = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Authorization_and_other_secret_headers_are_shown_redacted()
    {
        var (projectId, _) = await Server.CreateProjectAsync("redacted");
        var headers = new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer sk_live_do_not_show",
            ["X-Api-Key"] = "key_do_not_show",
            ["X-Team"] = "platform",
        };

        var created = await Server.CreateHookAsync(projectId, new { url = Url, headers });
        var id = created.GetProperty("id").GetInt64();
        var fetched = await Server.GetAsync($"/api/projects/{projectId}/hooks/{id}");
        var listed = await Server.GetAsync($"/api/projects/{projectId}/hooks");

        foreach (var view in new[] { created, fetched, listed.EnumerateArray().Single() })
        {
            var shown = view.GetProperty("headers");
            Assert.Equal("[REDACTED]", shown.GetProperty("Authorization").GetString());
            Assert.Equal("[REDACTED]", shown.GetProperty("X-Api-Key").GetString());
            Assert.Equal("platform", shown.GetProperty("X-Team").GetString());
            Assert.DoesNotContain("do_not_show", view.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_credential_sent_back_redacted_or_empty_keeps_its_stored_value_and_receivers_get_it()
    {
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        var (projectId, _) = await Server.CreateProjectAsync("kept-credential");
        var id = (await Server.CreateHookAsync(projectId, new
        {
            url = receiver.Url,
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer sk_live_kept", ["X-Plain"] = "v1" },
        })).GetProperty("id").GetInt64();
        var path = $"/api/projects/{projectId}/hooks/{id}";

        // What GET showed, sent back with one plain value changed.
        var shown = (await Server.GetAsync(path)).GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);
        shown["X-Plain"] = "v2";
        var patched = await Server.PatchAsync(path, new { headers = shown });
        Assert.Equal("[REDACTED]", patched.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("v2", patched.GetProperty("headers").GetProperty("X-Plain").GetString());
        var sent = await TestAsync(projectId, id, receiver);
        Assert.Equal("Bearer sk_live_kept", sent.Headers["Authorization"]);
        Assert.Equal("v2", sent.Headers["X-Plain"]);

        // An empty value is what the edit form sends for a credential left alone; the name is matched whatever its case.
        await Server.PatchAsync(path, new { headers = new Dictionary<string, string> { ["authorization"] = "", ["X-Plain"] = "v3" } });
        sent = await TestAsync(projectId, id, receiver);
        Assert.Equal("Bearer sk_live_kept", sent.Headers["Authorization"]);
        Assert.Equal("v3", sent.Headers["X-Plain"]);

        // Leaving a header out removes it; then there is nothing to keep, and keeping it is refused rather than sent empty.
        var removed = await Server.PatchAsync(path, new { headers = new Dictionary<string, string> { ["X-Plain"] = "v4" } });
        Assert.False(removed.GetProperty("headers").TryGetProperty("Authorization", out _), removed.ToString());
        sent = await TestAsync(projectId, id, receiver);
        Assert.False(sent.Headers.ContainsKey("Authorization"), "Authorization still sent after it was removed");
        using var refused = await Server.Admin.SendJsonAsync(HttpMethod.Patch, path, new { headers = new Dictionary<string, string> { ["Authorization"] = "[REDACTED]" } });
        await ApiProblemAssert.IsInvalidFieldAsync(refused, "headers", "'Authorization' has no stored value");
        Assert.Equal("v4", (await Server.GetAsync(path)).GetProperty("headers").GetProperty("X-Plain").GetString());

        // A new value replaces the stored one.
        await Server.PatchAsync(path, new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer sk_live_new" } });
        Assert.Equal("Bearer sk_live_new", (await TestAsync(projectId, id, receiver)).Headers["Authorization"]);
    }

    [Fact]
    public async Task A_test_whose_caller_gave_up_is_still_logged_with_the_receivers_answer()
    {
        await using var receiver = await Receiver.StartAsync("/hooks/slow");
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (projectId, _) = await Server.CreateProjectAsync("impatient-tester");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = receiver.Url })).GetProperty("id").GetInt64();

        // The caller (a CLI or browser) goes away while the receiver still holds the request it got.
        using var impatient = new CancellationTokenSource();
        var test = Server.Admin.PostAsync(new Uri($"/api/projects/{projectId}/hooks/{hookId}/test", UriKind.Relative), null, impatient.Token);
        var received = await receiver.NextAsync();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test);
        receiver.Gate.SetResult();

        // The receiver got a webhook-id; the log must have it, so that whoever runs the receiver can look it up.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await Server.Admin.GetAsync(new Uri($"/api/deliveries/{received.Headers["webhook-id"]}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var delivery = await BuildHooksServer.ReadAsync(response, HttpStatusCode.OK);
                Assert.Equal("test", delivery.GetProperty("kind").GetString());
                Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
                Assert.Equal(200, delivery.GetProperty("attempts")[0].GetProperty("status_code").GetInt32());
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the test delivery {received.Headers["webhook-id"]} was never logged");
            await Task.Delay(50);
        }
    }

    private async Task<ReceivedRequest> TestAsync(long projectId, long hookId, Receiver receiver)
    {
        var result = await Server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { }, HttpStatusCode.OK);
        Assert.True(result.GetProperty("succeeded").GetBoolean(), result.ToString());
        return await receiver.NextAsync();
    }

    [Fact]
    public async Task Hooks_are_listed_per_project()
    {
        var (mine, _) = await Server.CreateProjectAsync("mine");
        var (theirs, _) = await Server.CreateProjectAsync("theirs");
        var a = (await Server.CreateHookAsync(mine, new { url = Url })).GetProperty("id").GetInt64();
        var b = (await Server.CreateHookAsync(mine, new { url = Url, format = "shipio" })).GetProperty("id").GetInt64();
        await Server.CreateHookAsync(theirs, new { url = Url });

        var listed = await Server.GetAsync($"/api/projects/{mine}/hooks");

        Assert.Equal([a, b], listed.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task A_hook_is_not_reachable_through_another_project()
    {
        var (mine, _) = await Server.CreateProjectAsync("owner");
        var (other, _) = await Server.CreateProjectAsync("stranger");
        var id = (await Server.CreateHookAsync(mine, new { url = Url })).GetProperty("id").GetInt64();

        using var get = await Server.Admin.GetAsync(new Uri($"/api/projects/{other}/hooks/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        using var patch = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/projects/{other}/hooks/{id}", new { max_attempts = 2 });
        await ApiProblemAssert.IsProblemAsync(patch, HttpStatusCode.NotFound);
        using var delete = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{other}/hooks/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound);

        Assert.Equal(8, (await Server.GetAsync($"/api/projects/{mine}/hooks/{id}")).GetProperty("max_attempts").GetInt32());
    }

    [Fact]
    public async Task A_hook_for_an_unknown_project_is_a_404_problem()
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, "/api/projects/987654321/hooks", new { url = Url });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "987654321");
    }
}
