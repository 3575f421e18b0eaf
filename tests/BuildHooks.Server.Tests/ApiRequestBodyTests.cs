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
    [InlineData("""{"url": 5}""", "url")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "triggers": "pass"}""", "triggers")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "max_attempts": "three"}""", "max_attempts")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "max_attempts": 2.5}""", "max_attempts")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "enabled": "yes"}""", "enabled")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "headers": ["X-A: b"]}""", "headers")]
    [InlineData("""{"url": "http://127.0.0.1:9/", "timeout_seconds": 99999999999}""", "timeout_seconds")]
    public async Task A_field_of_the_wrong_json_type_is_a_400_problem_that_names_it(string body, string field)
    {
        var (projectId, _) = await Server.CreateProjectAsync("typed");

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", body);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("""{"commit": "abc", "branch": "master", "status": "pass", "started_at": "yesterday", "finished_at": "2026-01-01T00:00:00Z"}""", "started_at")]
    [InlineData("""{"commit": 42, "branch": "master", "status": "pass", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "commit")]
    [InlineData("""{"commit": "abc", "branch": "master", "result": true, "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "result")]
    [InlineData("""{"number": 3000000000, "commit": "abc", "branch": "master", "status": "pass", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z"}""", "number")]
    public async Task A_build_field_of_the_wrong_json_type_is_a_400_problem_that_names_it(string body, string field)
    {
        var (projectId, _) = await Server.CreateProjectAsync("typed-build");

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", body);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("empty");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/api/projects"),
            (HttpMethod.Patch, $"/api/projects/{projectId}"),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks"),
            (HttpMethod.Post, $"/api/projects/{projectId}/builds"),
        })
        {
            using var response = await Server.Admin.SendRawAsync(method, path, "");
            await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
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

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
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
        var body = "{\"name\": \"deep\", \"extra\": " + new string('[', 5000) + new string(']', 5000) + "}";

        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/projects", body);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "depth");
    }

    /// <summary>POST /api/projects as the admin over a raw connection, framed by <paramref name="framing"/> (a Content-Length or Transfer-Encoding header).</summary>
    private Task<HttpResponseMessage> PostProjectRawAsync(string framing, Func<Stream, Task> writeBody) =>
        RawHttp.SendAsync(Server.BaseUrl, "POST /api/projects HTTP/1.1",
            [$"Authorization: Bearer {InProcessServer.AdminToken}", "Content-Type: application/json", framing], writeBody);
}
