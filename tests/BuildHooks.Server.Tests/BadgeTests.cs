using System.Net;
using System.Xml.Linq;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>The README status badge: anonymous, the latest finished build's result, cheap to ask again.</summary>
public sealed class BadgeTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task A_project_without_builds_is_unknown()
    {
        var key = await NewProjectKeyAsync();

        var (text, response) = await BadgeAsync($"/projects/{key}/badge.svg");

        Assert.Equal("build: unknown", text);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_badge_follows_the_latest_finished_build_without_a_token()
    {
        var (id, key) = await NewProjectAsync();

        await Server.ReportBuildAsync(id, "pass");
        Assert.Equal("build: passing", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);

        await Server.ReportBuildAsync(id, "fail");
        Assert.Equal("build: failing", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);

        await Server.ReportBuildAsync(id, "error");
        Assert.Equal("build: error", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);
    }

    [Fact]
    public async Task A_running_build_does_not_replace_the_last_result()
    {
        var (id, key) = await NewProjectAsync();
        await Server.ReportBuildAsync(id, "running");
        Assert.Equal("build: running", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);

        await Server.ReportBuildAsync(id, "fail");
        await Server.ReportBuildAsync(id, "running");

        Assert.Equal("build: failing", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);
    }

    [Fact]
    public async Task The_branch_parameter_shows_that_branch_only()
    {
        var (id, key) = await NewProjectAsync();
        await Server.ReportBuildAsync(id, "pass", branch: "master");
        await Server.ReportBuildAsync(id, "fail", branch: "feature/login");

        Assert.Equal("build: passing", (await BadgeAsync($"/projects/{key}/badge.svg?branch=master")).Text);
        Assert.Equal("build: failing", (await BadgeAsync($"/projects/{key}/badge.svg?branch=feature%2Flogin")).Text);
        Assert.Equal("build: failing", (await BadgeAsync($"/projects/{key}/badge.svg")).Text);
        Assert.Equal("build: unknown", (await BadgeAsync($"/projects/{key}/badge.svg?branch=nope")).Text);
    }

    [Fact]
    public async Task The_badge_is_revalidated_every_time_and_unchanged_answers_304()
    {
        var (id, key) = await NewProjectAsync();
        await Server.ReportBuildAsync(id, "pass");
        var (_, first) = await BadgeAsync($"/projects/{key}/badge.svg");
        Assert.True(first.Headers.CacheControl!.NoCache);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/projects/{key}/badge.svg") { Headers = { IfNoneMatch = { etag } } };
        using var unchanged = await Server.Anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        await Server.ReportBuildAsync(id, "fail");
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/projects/{key}/badge.svg") { Headers = { IfNoneMatch = { etag } } };
        using var changed = await Server.Anonymous.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task An_unknown_key_is_404_problem_details()
    {
        using var response = await Server.Anonymous.GetAsync(new Uri("/projects/no-such-key-0000/badge.svg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-such-key-0000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HEAD_answers_as_GET_without_a_body_and_without_a_token()
    {
        var (id, key) = await NewProjectAsync();
        await Server.ReportBuildAsync(id, "pass");
        var (_, get) = await BadgeAsync($"/projects/{key}/badge.svg");

        using var head = await Server.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/projects/{key}/badge.svg"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("image/svg+xml", head.Content.Headers.ContentType!.MediaType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.True(head.Headers.CacheControl!.NoCache);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        using var revalidate = new HttpRequestMessage(HttpMethod.Head, $"/projects/{key}/badge.svg") { Headers = { IfNoneMatch = { get.Headers.ETag! } } };
        using var unchanged = await Server.Anonymous.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        using var unknown = await Server.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/projects/no-such-key-0000/badge.svg"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<string> NewProjectKeyAsync() => (await NewProjectAsync()).Key;

    private async Task<(long Id, string Key)> NewProjectAsync()
    {
        var (id, _) = await Server.CreateProjectAsync();
        return (id, (await Server.GetAsync($"/api/projects/{id}")).GetProperty("key").GetString()!);
    }

    /// <summary>The badge's accessible text (its title, as a screen reader or a hover shows it) and the response.</summary>
    private async Task<(string Text, HttpResponseMessage Response)> BadgeAsync(string path)
    {
        var response = await Server.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(svg.Root!.Attribute("aria-label")!.Value, svg.Root.Element(ns + "title")!.Value);
        return (svg.Root.Element(ns + "title")!.Value, response);
    }
}
