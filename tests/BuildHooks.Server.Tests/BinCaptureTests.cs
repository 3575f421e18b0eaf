using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>The capture URL /bins/{id}: records whatever arrives, answers with the bin's status, and stays within its caps.</summary>
public sealed class BinCaptureTests
{
    private static async Task<string> NewBinAsync(BuildHooksServer server, object? body = null) =>
        (await server.PostAsync("/api/bins", body ?? new { })).Str("id");

    private static async Task<List<JsonElement>> CapturesAsync(BuildHooksServer server, string id) =>
        (await server.GetAsync($"/api/bins/{id}/requests")).EnumerateArray().ToList();

    [Fact]
    public async Task Any_method_path_query_headers_and_body_are_recorded_without_a_token()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var id = await NewBinAsync(server);

        using (var request = new HttpRequestMessage(HttpMethod.Patch, $"/bins/{id}/deep/path.json?x=1&y=two%20words&y=3"))
        {
            request.Content = new StringContent("payload=%7B%22a%22%3A1%7D", Encoding.UTF8, "application/x-www-form-urlencoded");
            request.Headers.Add("X-Custom", "hello");
            // A sender's own Authorization header is data to record, not a credential for this server.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-buildhooks-token");
            using var response = await server.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(answer.GetProperty("captured").GetBoolean());
        }

        foreach (var method in new[] { "GET", "DELETE", "OPTIONS", "PROPFIND" })
        {
            using var response = await server.Anonymous.SendEmptyAsync(new HttpMethod(method), $"/bins/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var captures = await CapturesAsync(server, id);
        Assert.Equal(["PROPFIND", "OPTIONS", "DELETE", "GET", "PATCH"], captures.Select(c => c.Str("method")));
        var patch = captures[^1];
        Assert.Equal("/deep/path.json", patch.Str("path"));
        Assert.Equal("?x=1&y=two%20words&y=3", patch.Str("query"));
        Assert.Equal("hello", patch.GetProperty("headers").GetProperty("X-Custom").GetString());
        Assert.Equal("Bearer not-a-buildhooks-token", patch.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.StartsWith("application/x-www-form-urlencoded", patch.Str("content_type"), StringComparison.Ordinal);
        Assert.Equal("payload=%7B%22a%22%3A1%7D", patch.Str("body"));
        Assert.Equal(25, patch.GetProperty("body_size").GetInt64());
        Assert.Equal("127.0.0.1", patch.Str("remote_address"));
        Assert.Equal("", captures[0].Str("path"));
        Assert.Equal("", captures[0].Str("query"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(201)]
    [InlineData(418)]
    [InlineData(204)]
    public async Task The_bin_answers_with_the_status_it_was_given(int status)
    {
        await using var server = await BuildHooksServer.StartAsync();
        var id = await NewBinAsync(server, new { response_status = status });

        using var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", "{}");

        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (status == 204)
        {
            Assert.Equal("", body);
        }
        else
        {
            Assert.Contains("\"captured\":true", body, StringComparison.Ordinal);
        }

        Assert.Single(await CapturesAsync(server, id));
    }

    [Fact]
    public async Task A_long_body_is_cut_at_the_cap_and_a_bin_keeps_only_its_newest_requests()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Bins:MaxBodyBytes"] = "1024",
            ["BuildHooks:Bins:MaxRequests"] = "3",
        });
        var id = await NewBinAsync(server);

        var big = new string('x', 5000);
        using (var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", big, "text/plain"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var cut = (await CapturesAsync(server, id)).Single();
        Assert.True(cut.GetProperty("truncated").GetBoolean());
        Assert.Equal(5000, cut.GetProperty("body_size").GetInt64());
        Assert.Equal(new string('x', 1024), cut.Str("body"));

        for (var i = 1; i <= 5; i++)
        {
            using var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}/n{i}", $"{i}", "text/plain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var kept = await CapturesAsync(server, id);
        Assert.Equal(["/n5", "/n4", "/n3"], kept.Select(c => c.Str("path")));
        Assert.Equal(3, (await server.GetAsync($"/api/bins/{id}")).GetProperty("request_count").GetInt32());
    }

    [Fact]
    public async Task A_multibyte_character_cut_by_the_cap_still_reads_as_text()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?> { ["BuildHooks:Bins:MaxBodyBytes"] = "4" });
        var id = await NewBinAsync(server);

        using (await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", "abc✓✓", "text/plain"))
        {
        }

        var capture = (await CapturesAsync(server, id)).Single();
        Assert.Equal("utf8", capture.Str("body_encoding"));
        Assert.Equal("abc", capture.Str("body"));
        Assert.True(capture.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task A_body_over_the_servers_limit_is_a_413_problem()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?> { ["BuildHooks:MaxRequestBodyBytes"] = "10000" });
        var id = await NewBinAsync(server);

        using var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", new byte[20_000], "application/octet-stream");

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await CapturesAsync(server, id));
    }

    [Fact]
    public async Task A_bin_flooded_past_its_rate_answers_429_with_retry_after_and_other_bins_are_unaffected()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?> { ["BuildHooks:Bins:RequestsPerMinute"] = "3" });
        var flooded = await NewBinAsync(server);
        var quiet = await NewBinAsync(server);

        for (var i = 0; i < 3; i++)
        {
            using var accepted = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{flooded}/{i}", "{}");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var refused = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{flooded}/more", "{}");
        var problem = await ApiProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "RequestsPerMinute");
        // A type, as every other problem has, so a client can tell a rate limit from other refusals without reading the title.
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        Assert.Equal(3, (await CapturesAsync(server, flooded)).Count);

        using var other = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{quiet}", "{}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("/bins/nosuchbin")]
    [InlineData("/bins/nosuchbin/with/a/path?q=1")]
    [InlineData("/bins/%E2%9C%93")]
    public async Task An_unknown_bin_is_a_404_problem(string path)
    {
        await using var server = await BuildHooksServer.StartAsync();

        using var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, path, "{}");

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "request bin");
    }

    [Fact]
    public async Task An_expired_bin_answers_404_and_is_deleted_with_its_captures()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Bins:Lifetime"] = "00:00:02",
            ["BuildHooks:Bins:PruneInterval"] = "00:00:00.200",
            ["BuildHooks:Bins:PruneBatchSize"] = "2",
        });
        var lasting = await NewBinAsync(server, new { expires_in_hours = 1 });
        var id = await NewBinAsync(server);
        for (var i = 0; i < 5; i++)
        {
            using var response = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", $"{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{lasting}", "stays"))
        {
        }

        Assert.Equal(5, await RowsAsync(server, id));

        // Past its lifetime the bin is gone for its users at once, and from the database at the next prune.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var capture = await server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", "late");
            if (capture.StatusCode == HttpStatusCode.NotFound)
            {
                await ApiProblemAssert.IsProblemAsync(capture, HttpStatusCode.NotFound, "expired");
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "The bin still captured requests 20 s after its 2 s lifetime");
            await Task.Delay(200);
        }

        using (var get = await server.Admin.GetAsync(new Uri($"/api/bins/{id}", UriKind.Relative)))
        {
            await ApiProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        }

        while (await RowsAsync(server, id) is var left && left != -1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The expired bin still has its row and {left} captures 20 s after expiring");
            await Task.Delay(200);
        }

        Assert.Single(await CapturesAsync(server, lasting));
    }

    /// <summary>The bin's captures as stored, or -1 when the bin's own row is gone.</summary>
    private static async Task<long> RowsAsync(BuildHooksServer server, string key)
    {
        await using var connection = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM bins WHERE key = @key), (SELECT count(*) FROM bin_requests r JOIN bins b ON b.id = r.bin_id WHERE b.key = @key), (SELECT count(*) FROM bin_requests WHERE bin_id NOT IN (SELECT id FROM bins))";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(0, reader.GetInt64(2));
        return reader.GetInt64(0) == 0 ? -1 : reader.GetInt64(1);
    }
}
