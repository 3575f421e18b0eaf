using System.Net;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>/api/bins: create, read, list, delete and read captures with the admin token; nothing without it.</summary>
public sealed class BinApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task A_new_bin_has_a_capture_url_and_a_page_on_this_server_and_expires_in_48_hours_by_default()
    {
        var before = DateTimeOffset.UtcNow;
        var bin = await Server.PostAsync("/api/bins", new { name = "staging hook" });

        var id = bin.Str("id");
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id);
        Assert.Equal("staging hook", bin.Str("name"));
        Assert.Equal(200, bin.GetProperty("response_status").GetInt32());
        Assert.Equal($"{Server.BaseUrl}/bins/{id}", bin.Str("url"));
        Assert.Equal($"{Server.BaseUrl}/request-bins/{id}", bin.Str("page_url"));
        var expires = bin.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires, before.AddHours(48).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(48).AddMinutes(1));
        Assert.Equal(0, bin.GetProperty("request_count").GetInt32());

        var read = await Server.GetAsync($"/api/bins/{id}");
        Assert.Equal(id, read.Str("id"));
        var listed = (await Server.GetAsync("/api/bins")).EnumerateArray().Select(b => b.Str("id")).ToList();
        Assert.Contains(id, listed);
    }

    [Fact]
    public async Task Status_and_lifetime_can_be_chosen()
    {
        var bin = await Server.PostAsync("/api/bins", new { response_status = 503, expires_in_hours = 2 });

        Assert.Equal(503, bin.GetProperty("response_status").GetInt32());
        Assert.InRange(bin.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(2).AddMinutes(1));
        Assert.Equal("", bin.Str("name"));
    }

    [Fact]
    public async Task Captured_requests_are_listed_newest_first_in_pages_with_text_or_base64_bodies()
    {
        var id = (await Server.PostAsync("/api/bins", new { })).Str("id");
        using (var first = await Server.Anonymous.SendRawAsync(HttpMethod.Post, $"/bins/{id}", "{\"n\":1}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var binary = await Server.Anonymous.SendRawAsync(HttpMethod.Put, $"/bins/{id}/blob", [0xff, 0x00, 0xfe], "application/octet-stream"))
        {
            Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        }

        var all = (await Server.GetAsync($"/api/bins/{id}/requests")).EnumerateArray().ToList();
        Assert.Equal(["PUT", "POST"], all.Select(r => r.Str("method")));
        Assert.Equal("base64", all[0].Str("body_encoding"));
        Assert.Equal(Convert.ToBase64String([0xff, 0x00, 0xfe]), all[0].Str("body"));
        Assert.Equal("utf8", all[1].Str("body_encoding"));
        Assert.Equal("{\"n\":1}", all[1].Str("body"));
        Assert.False(all[1].GetProperty("truncated").GetBoolean());

        var page = (await Server.GetAsync($"/api/bins/{id}/requests?limit=1")).EnumerateArray().Single();
        Assert.Equal(all[0].Id(), page.Id());
        var next = (await Server.GetAsync($"/api/bins/{id}/requests?limit=1&before={page.Id()}")).EnumerateArray().Single();
        Assert.Equal(all[1].Id(), next.Id());
        Assert.Equal(2, (await Server.GetAsync($"/api/bins/{id}")).GetProperty("request_count").GetInt32());
    }

    [Fact]
    public async Task A_deleted_bin_is_gone_from_the_api_and_its_url()
    {
        var id = (await Server.PostAsync("/api/bins", new { })).Str("id");

        using (var deleted = await Server.Admin.DeleteAsync(new Uri($"/api/bins/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var get = await Server.Admin.GetAsync(new Uri($"/api/bins/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, id);
        using var requests = await Server.Admin.GetAsync(new Uri($"/api/bins/{id}/requests", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(requests, HttpStatusCode.NotFound, id);
        using var again = await Server.Admin.DeleteAsync(new Uri($"/api/bins/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, id);
        using var capture = await Server.Anonymous.PostAsync(new Uri($"/bins/{id}", UriKind.Relative), null);
        await ApiProblemAssert.IsProblemAsync(capture, HttpStatusCode.NotFound, "expired");
    }

    [Theory]
    [InlineData("{\"response_status\": 99}", "response_status")]
    [InlineData("{\"response_status\": 600}", "response_status")]
    [InlineData("{\"response_status\": 101}", "response_status")]
    [InlineData("{\"expires_in_hours\": 0}", "expires_in_hours")]
    [InlineData("{\"expires_in_hours\": 100000}", "expires_in_hours")]
    [InlineData("{\"name\": \"two\\nlines\"}", "name")]
    public async Task Bad_fields_are_named_in_a_validation_problem(string body, string field)
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/bins", body);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field);
    }

    [Theory]
    [InlineData("{\"response_status\": \"teapot\"}")]
    [InlineData("not json")]
    [InlineData("[]")]
    public async Task Unreadable_bodies_are_a_problem_not_a_500(string body)
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Post, "/api/bins", body);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("GET", "/api/bins/nosuchbin")]
    [InlineData("GET", "/api/bins/nosuchbin/requests")]
    [InlineData("DELETE", "/api/bins/nosuchbin")]
    [InlineData("GET", "/api/bins/%E2%9C%93%20not%20a%20key/requests")]
    public async Task An_unknown_bin_is_a_404_problem(string method, string path)
    {
        using var response = await Server.Admin.SendEmptyAsync(new HttpMethod(method), path);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "request bin");
    }

    [Fact]
    public async Task Requests_paging_rejects_a_limit_that_is_not_a_number()
    {
        var id = (await Server.PostAsync("/api/bins", new { })).Str("id");

        using var response = await Server.Admin.GetAsync(new Uri($"/api/bins/{id}/requests?limit=lots", UriKind.Relative));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_the_admin_token_every_bin_endpoint_answers_401()
    {
        var id = (await Server.PostAsync("/api/bins", new { })).Str("id");
        (HttpMethod Method, string Path)[] endpoints =
        [
            (HttpMethod.Post, "/api/bins"), (HttpMethod.Get, "/api/bins"), (HttpMethod.Get, $"/api/bins/{id}"),
            (HttpMethod.Delete, $"/api/bins/{id}"), (HttpMethod.Get, $"/api/bins/{id}/requests"),
        ];
        foreach (var (method, path) in endpoints)
        {
            using var response = await Server.Anonymous.SendJsonAsync(method, path, new { });
            await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        }

        // Still there: nothing above was carried out.
        Assert.Equal(id, (await Server.GetAsync($"/api/bins/{id}")).Str("id"));
    }

    [Fact]
    public async Task The_bin_endpoints_are_in_the_openapi_document()
    {
        using var document = JsonDocument.Parse(await Server.Anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/bins").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/bins").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/bins/{id}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/bins/{id}/requests").TryGetProperty("get", out _));
        Assert.False(paths.TryGetProperty("/bins/{key}", out _), "The capture URL is not part of the API.");
    }
}
