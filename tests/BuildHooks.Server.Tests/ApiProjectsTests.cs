using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Projects (Magnum's "project", Ship.io's "job") through the API, as an admin sees them.</summary>
public sealed partial class ApiProjectsTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    private static object NewProject(string name) => new
    {
        name,
        repository = new { name, selected_branch = "main", html_url = $"https://github.com/acme/{name}", clone_url = $"https://github.com/acme/{name}.git" },
    };

    [Fact]
    public async Task Creating_a_project_returns_201_with_id_key_and_report_token()
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, "/api/projects", NewProject("create-me"));
        var project = await BuildHooksServer.ReadAsync(response, HttpStatusCode.Created);

        var id = project.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal($"/api/projects/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches(UrlSafeKey(), project.GetProperty("key").GetString());
        Assert.False(string.IsNullOrWhiteSpace(project.GetProperty("report_token").GetString()));
        Assert.Equal("create-me", project.GetProperty("name").GetString());
        var repository = project.GetProperty("repository");
        Assert.Equal("create-me", repository.GetProperty("name").GetString());
        Assert.Equal("main", repository.GetProperty("selected_branch").GetString());
        Assert.Equal("https://github.com/acme/create-me", repository.GetProperty("html_url").GetString());
        Assert.Equal("https://github.com/acme/create-me.git", repository.GetProperty("clone_url").GetString());
    }

    [Fact]
    public async Task Every_project_gets_its_own_key_and_report_token()
    {
        var first = await Server.PostAsync("/api/projects", NewProject("twin"));
        var second = await Server.PostAsync("/api/projects", NewProject("twin"));

        Assert.NotEqual(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.NotEqual(first.GetProperty("key").GetString(), second.GetProperty("key").GetString());
        Assert.NotEqual(first.GetProperty("report_token").GetString(), second.GetProperty("report_token").GetString());
    }

    [Fact]
    public async Task Report_token_is_shown_once_and_never_in_get_or_list()
    {
        var created = await Server.PostAsync("/api/projects", NewProject("secretive"));
        var id = created.GetProperty("id").GetInt64();
        var token = created.GetProperty("report_token").GetString()!;

        var fetched = await Server.GetAsync($"/api/projects/{id}");
        var listed = await Server.GetAsync("/api/projects");

        Assert.False(fetched.TryGetProperty("report_token", out _));
        Assert.Equal(created.GetProperty("key").GetString(), fetched.GetProperty("key").GetString());
        Assert.DoesNotContain(token, fetched.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.GetRawText(), StringComparison.Ordinal);
        Assert.All(listed.EnumerateArray(), p => Assert.False(p.TryGetProperty("report_token", out _)));
    }

    [Fact]
    public async Task A_project_without_repository_details_gets_its_name_and_master()
    {
        var project = await Server.PostAsync("/api/projects", new { name = "  bare  " });

        Assert.Equal("bare", project.GetProperty("name").GetString());
        Assert.Equal("bare", project.GetProperty("repository").GetProperty("name").GetString());
        Assert.Equal("master", project.GetProperty("repository").GetProperty("selected_branch").GetString());
    }

    [Fact]
    public async Task Created_projects_are_listed()
    {
        var (a, _) = await Server.CreateProjectAsync("listed-a");
        var (b, _) = await Server.CreateProjectAsync("listed-b");

        var listed = await Server.GetAsync("/api/projects");

        var ids = listed.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(a, ids);
        Assert.Contains(b, ids);
        Assert.True(ids.IndexOf(a) < ids.IndexOf(b), "projects are listed in the order they were created");
        Assert.Equal("listed-b", listed.EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == b).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patching_a_project_renames_it_and_keeps_the_rest()
    {
        var created = await Server.PostAsync("/api/projects", NewProject("old-name"));
        var id = created.GetProperty("id").GetInt64();

        var patched = await Server.PatchAsync($"/api/projects/{id}", new { name = "new-name" });
        var fetched = await Server.GetAsync($"/api/projects/{id}");

        foreach (var project in new[] { patched, fetched })
        {
            Assert.Equal("new-name", project.GetProperty("name").GetString());
            Assert.Equal(created.GetProperty("key").GetString(), project.GetProperty("key").GetString());
            Assert.Equal("main", project.GetProperty("repository").GetProperty("selected_branch").GetString());
            Assert.Equal("https://github.com/acme/old-name", project.GetProperty("repository").GetProperty("html_url").GetString());
        }
    }

    [Fact]
    public async Task Patching_the_repository_changes_only_the_given_fields()
    {
        var created = await Server.PostAsync("/api/projects", NewProject("moving"));
        var id = created.GetProperty("id").GetInt64();

        var patched = await Server.PatchAsync($"/api/projects/{id}", new { repository = new { selected_branch = "release" } });

        Assert.Equal("moving", patched.GetProperty("name").GetString());
        Assert.Equal("release", patched.GetProperty("repository").GetProperty("selected_branch").GetString());
        Assert.Equal("https://github.com/acme/moving.git", patched.GetProperty("repository").GetProperty("clone_url").GetString());
    }

    [Fact]
    public async Task Deleting_a_project_is_204_and_then_it_is_a_404_problem()
    {
        var (id, _) = await Server.CreateProjectAsync("doomed");

        using var deleted = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());

        using var fetched = await Server.Admin.GetAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(fetched, HttpStatusCode.NotFound, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var again = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound);
        var listed = await Server.GetAsync("/api/projects");
        Assert.DoesNotContain(listed.EnumerateArray(), p => p.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Deleting_a_project_takes_its_hooks_and_builds_with_it()
    {
        var (id, _) = await Server.CreateProjectAsync("with-children");
        await Server.CreateHookAsync(id, new { url = "http://127.0.0.1:9/hook" });
        var build = await Server.ReportBuildAsync(id);

        using var deleted = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var hooks = await Server.Admin.GetAsync(new Uri($"/api/projects/{id}/hooks", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(hooks, HttpStatusCode.NotFound, "project");
        using var fetchedBuild = await Server.Admin.GetAsync(new Uri($"/api/builds/{build.GetProperty("id").GetInt64()}", UriKind.Relative));
        await ApiProblemAssert.IsProblemAsync(fetchedBuild, HttpStatusCode.NotFound, "build");
    }

    [Fact]
    public async Task Unknown_project_id_is_a_404_problem_that_names_the_id()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            using var response = await Server.Admin.SendEmptyAsync(method, "/api/projects/987654321");
            var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "987654321");
            Assert.Equal("Project not found", problem.GetProperty("title").GetString());
        }

        using var patch = await Server.Admin.SendJsonAsync(HttpMethod.Patch, "/api/projects/987654321", new { name = "ghost" });
        await ApiProblemAssert.IsProblemAsync(patch, HttpStatusCode.NotFound, "987654321");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{16}$")]
    private static partial Regex UrlSafeKey();
}
