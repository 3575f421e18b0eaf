using System.Net;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Bodies the server cannot read at all: each is a 4xx Problem Details that says what is wrong, never a 5xx.</summary>
public sealed class ApiRequestBodyTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task Malformed_json_is_a_400_problem_that_points_at_the_error()
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", """{"name": "x",, "repository": {}}""");

        var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
        Assert.Contains("position", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Truncated_json_is_a_400_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("truncated");

        using var project = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", """{"name": "cut""");
        using var hook = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", """{"url": "http://127.0.0.1:9/", "triggers": ["pass",""");

        await ApiProblemAssert.IsProblemAsync(project, HttpStatusCode.BadRequest, "JSON");
        await ApiProblemAssert.IsProblemAsync(hook, HttpStatusCode.BadRequest, "JSON");
    }

    [Theory]
    [InlineData("""{"url": 5}""", "url", "url must be a string")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "triggers": "pass"}""", "triggers", "triggers must be a list of strings")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "triggers": [1]}""", "triggers", "triggers[0] must be a string")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "max_attempts": "three"}""", "max_attempts", "max_attempts must be a whole number from 1 to 20")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "max_attempts": 2.5}""", "max_attempts", "from 1 to 20")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "max_attempts": 99999999999}""", "max_attempts", "from 1 to 20")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "enabled": "yes"}""", "enabled", "enabled must be true or false")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "headers": ["X-A: b"]}""", "headers", "headers must be an object")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "headers": {"X-A": 1}}""", "headers", "headers.X-A must be a string")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "timeout_seconds": 99999999999}""", "timeout_seconds", "from 1 to 120")]
    public async Task A_field_of_the_wrong_json_type_is_a_400_problem_that_names_it(string body, string field, string says)
    {
        var (projectId, _) = await Server.CreateProjectAsync("typed");

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field, says);
    }

    [Theory]
    [InlineData("""{"commit": "abc", "branch": "master", "status": "pass", "started_at": "yesterday", "finished_at": "2026-01-01T00:00:00Z"}""", "started_at", "ISO 8601")]
    [InlineData("""{"commit": 42, "branch": "master", "status": "pass", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "commit", "commit must be a string")]
    [InlineData("""{"commit": "abc", "branch": "master", "result": true, "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "result", "result must be a whole number")]
    [InlineData("""{"number": 3000000000, "commit": "abc", "branch": "master", "status": "pass", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "number", "from 1 to 1000000000")]
    public async Task A_build_field_of_the_wrong_json_type_is_a_400_problem_that_names_it(string body, string field, string says)
    {
        var (projectId, _) = await Server.CreateProjectAsync("typed-build");

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field, says);
    }

    [Theory]
    [InlineData("/api/projects", """{"name": 123}""", "name", "name must be a string")]
    [InlineData("/api/projects", """{"name": "n", "repository": {"html_url": false}}""", "repository.html_url", "repository.html_url must be a string")]
    [InlineData("/api/projects", """{"name": "n", "repository": "acme/x"}""", "repository", "repository must be an object with the fields name, selected_branch")]
    [InlineData("/api/bins", """{"response_status": "ok"}""", "response_status", "from 200 to 599")]
    [InlineData("/api/bins", """{"expires_in_hours": 1e9}""", "expires_in_hours", "from 1 to 168")]
    [InlineData("/api/hooks/{hook}/recover", """{"since": "yesterday"}""", "since", "since must be an ISO 8601 date-time")]
    public async Task Any_field_of_the_wrong_json_type_is_named_by_its_json_path(string path, string body, string field, string says)
    {
        var (projectId, _) = await Server.CreateProjectAsync("typed-any");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, path.Replace("{hook}", hookId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field, says);
    }

    [Theory]
    [InlineData("""{"name": "bin\u0000"}""")]
    [InlineData("""{"name": "two\nlines"}""")]
    public async Task A_control_character_in_a_bin_name_is_a_400_problem_that_names_it(string body)
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/bins", body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, "name", "name must not contain control characters");
    }

    public static TheoryData<string, string, string, string> UnknownFields => new()
    {
        // A typo must not make a hook that fires on everything, nor a patch that looks applied.
        { "POST", "/api/projects/{project}/hooks", """{"url": "http://127.0.0.1:9/", "trigger": ["fail"], "branch": ["master"]}""", "trigger" },
        { "PATCH", "/api/projects/{project}/hooks/{hook}", """{"secret": "whsec_mine"}""", "secret" },
        { "POST", "/api/projects", """{"nmae": "typo"}""", "nmae" },
        { "PATCH", "/api/projects/{project}", """{"name": "x", "repository": {"branch": "main"}}""", "repository.branch" },
        { "POST", "/api/projects", """{"name": "x", "repository": {"name": "x", "url": "https://github.com/acme/x"}}""", "repository.url" },
        { "POST", "/api/projects/{project}/builds", """{"commit": "abc", "branch": "master", "status": "pass", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z", "duration": 60}""", "duration" },
        { "PATCH", "/api/builds/{build}", """{"status": "pass", "finished": true}""", "finished" },
        { "POST", "/api/bins", """{"ttl_hours": 1}""", "ttl_hours" },
        { "POST", "/api/hooks/{hook}/recover", """{"since": "2026-01-01T00:00:00Z", "until": "2026-01-02T00:00:00Z"}""", "until" },
    };

    [Theory]
    [MemberData(nameof(UnknownFields))]
    public async Task An_unknown_field_is_a_400_problem_that_names_it_and_changes_nothing(string method, string path, string body, string field)
    {
        var (projectId, _) = await Server.CreateProjectAsync("strict");
        var hook = await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" });
        var hookId = hook.GetProperty("id").GetInt64();
        var running = await Server.PostAsync($"/api/projects/{projectId}/builds", new
        {
            commit = "abc", branch = "master", status = "running", started_at = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        var before = (await Server.GetAsync($"/api/projects/{projectId}/hooks")).ToString() + (await Server.GetAsync($"/api/projects/{projectId}")) + (await Server.GetAsync("/api/bins")).GetArrayLength();
        path = path.Replace("{project}", $"{projectId}", StringComparison.Ordinal).Replace("{hook}", $"{hookId}", StringComparison.Ordinal)
            .Replace("{build}", $"{running.GetProperty("id").GetInt64()}", StringComparison.Ordinal);

        using var response = await Server.Admin.SendRawAsync(new HttpMethod(method), path, body);

        var problem = await ApiProblemAssert.IsInvalidFieldAsync(response, field, $"{field} is not a field of");
        Assert.Contains("Unknown field", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        var after = (await Server.GetAsync($"/api/projects/{projectId}/hooks")).ToString() + (await Server.GetAsync($"/api/projects/{projectId}")) + (await Server.GetAsync("/api/bins")).GetArrayLength();
        Assert.Equal(before, after);
        Assert.Single((await Server.GetAsync($"/api/projects/{projectId}/builds")).EnumerateArray());
    }

    [Fact]
    public async Task An_empty_or_null_body_is_a_400_problem_that_asks_for_a_json_object()
    {
        var (projectId, _) = await Server.CreateProjectAsync("empty");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();
        var build = (await Server.ReportBuildAsync(projectId)).GetProperty("id").GetInt64();

        foreach (var (method, path, fields) in new[]
        {
            (HttpMethod.Post, "/api/projects", "name, repository"),
            (HttpMethod.Patch, $"/api/projects/{projectId}", "name, repository"),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks", "url, format"),
            (HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", "url, format"),
            (HttpMethod.Post, $"/api/projects/{projectId}/builds", "number, commit"),
            (HttpMethod.Patch, $"/api/builds/{build}", "status, result"),
            (HttpMethod.Post, $"/api/hooks/{hookId}/recover", "since"),
        })
        {
            foreach (var body in new[] { "", "null" })
            {
                using var response = await Server.Admin.SendRawAsync(method, path, body);
                await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "JSON body", fields);
            }

            using var bare = await Server.Admin.SendEmptyAsync(method, path);
            await ApiProblemAssert.IsProblemAsync(bare, HttpStatusCode.BadRequest, "JSON body", fields);
        }
    }

    [Fact]
    public async Task A_bin_asked_for_without_a_body_takes_the_defaults()
    {
        using var bare = await Server.Admin.SendEmptyAsync(HttpMethod.Post, "/api/bins");
        using var empty = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/bins", "");
        using var none = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/bins", "null");

        foreach (var response in new[] { bare, empty, none })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"got {(int)response.StatusCode}: {text}");
            Assert.Equal(200, System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("response_status").GetInt32());
        }
    }

    [Fact]
    public async Task A_missing_body_without_content_type_is_a_4xx_problem()
    {
        using var response = await Server.Admin.SendEmptyAsync(HttpMethod.Post, "/api/projects");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}: {text}");
        ApiProblemAssert.IsProblemBody(response, text);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"a project\"")]
    [InlineData("42")]
    public async Task A_json_body_that_is_not_an_object_is_a_400_problem(string body)
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", body);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Text_plain_is_a_415_problem_that_asks_for_json()
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", """{"name": "plain"}""", "text/plain");

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "JSON");
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=\"\"")]
    public async Task An_unknown_charset_is_a_4xx_problem_not_a_500(string contentType)
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", """{"name": "charset"}""", contentType);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 415, $"{contentType} got {(int)response.StatusCode}: {text}");
        ApiProblemAssert.IsProblemBody(response, text, "charset");
    }

    [Fact]
    public async Task Utf16_json_that_says_so_is_read_or_refused_but_never_a_500()
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", Encoding.Unicode.GetBytes("""{"name": "utf16"}"""), "application/json; charset=utf-16");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, $"got {(int)response.StatusCode}: {text}");
        if (response.StatusCode == HttpStatusCode.Created)
        {
            Assert.Contains("\"utf16\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_a_400_problem()
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", [(byte)'{', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}']);
        using var value = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", [.. "{\"name\": \"a"u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        await ApiProblemAssert.IsInvalidFieldAsync(value, "name", "name is not valid UTF-8");
    }

    [Fact]
    public async Task A_body_over_1_MB_is_a_413_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("huge");
        var body = "{\"commit\": \"abc\", \"branch\": \"master\", \"status\": \"pass\", \"message\": \"" + new string('m', 1_100_000) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/projects/{projectId}/builds", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        // As curl does for large bodies: wait for the server's go-ahead, so the early 413 is read
        // instead of racing the server closing the connection under a body it will never read.
        request.Headers.ExpectContinue = true;

        using var response = await Server.Admin.SendAsync(request);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "large");
    }

    [Fact]
    public async Task A_chunked_body_over_1_MB_is_a_413_problem()
    {
        // Over a raw connection, as a streaming client sends it: the server answers 413 once 1 MB is in and closes,
        // so the rest of the upload fails to write. HttpClient would report only that broken pipe, whichever came first.
        using var response = await PostProjectRawAsync("Transfer-Encoding: chunked", async stream =>
        {
            await stream.WriteAsync(RawHttp.Chunk("{\"name\": \""));
            for (var i = 0; i < 17; i++)
            {
                await stream.WriteAsync(RawHttp.Chunk(new string('n', 64 * 1024)));
            }

            await stream.WriteAsync(RawHttp.Chunk("\"}"));
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "large");
    }

    [Fact]
    public async Task Broken_chunked_encoding_is_a_400_problem()
    {
        using var response = await PostProjectRawAsync("Transfer-Encoding: chunked", async stream => await stream.WriteAsync("zz\r\n{}\r\n"u8.ToArray()));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "chunked");
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_a_408_problem()
    {
        // Kestrel gives a body 5 s of grace before it holds the client to its minimum data rate.
        using var response = await PostProjectRawAsync("Content-Length: 50", async stream => await stream.WriteAsync("{\"name\": "u8.ToArray()));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestTimeout, "Content-Length");
    }

    [Fact]
    public async Task A_web_form_without_its_antiforgery_token_is_a_400_problem_that_says_to_reload()
    {
        using var form = new FormUrlEncodedContent([new("token", InProcessServer.AdminToken)]);

        using var response = await Server.Anonymous.PostAsync(new Uri("/signin", UriKind.Relative), form);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "antiforgery", "reload");
    }

    [Fact]
    public async Task Json_nested_too_deep_is_a_400_problem()
    {
        // Refused at its first bracket, where an object belongs: the nesting is never walked.
        var body = "{\"name\": \"deep\", \"repository\": " + new string('[', 5000) + new string(']', 5000) + "}";

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, "repository", "repository must be an object");
    }

    /// <summary>POST /api/projects as the admin over a raw connection, framed by <paramref name="framing"/> (a Content-Length or Transfer-Encoding header).</summary>
    private Task<HttpResponseMessage> PostProjectRawAsync(string framing, Func<Stream, Task> writeBody) =>
        RawHttp.SendAsync(Server.BaseUrl, "POST /api/projects HTTP/1.1",
            [$"Authorization: Bearer {InProcessServer.AdminToken}", "Content-Type: application/json", framing], writeBody);
}
