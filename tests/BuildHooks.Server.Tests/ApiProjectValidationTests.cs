using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Project fields a user can get wrong: each is a 400 validation problem that names the field, on create and on patch.</summary>
public sealed class ApiProjectValidationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    public static TheoryData<string, object> InvalidProjects => new()
    {
        { "name", new { name = "" } },
        { "name", new { name = "   " } },
        { "name", new { name = new string('n', 201) } },
        { "repository.name", new { name = "ok", repository = new { name = new string('r', 201) } } },
        { "repository.selected_branch", new { name = "ok", repository = new { selected_branch = new string('b', 256) } } },
        { "repository.html_url", new { name = "ok", repository = new { html_url = "github.com/acme/x" } } },
        { "repository.html_url", new { name = "ok", repository = new { html_url = "ftp://github.com/acme/x" } } },
        { "repository.clone_url", new { name = "ok", repository = new { clone_url = "https://github.com/" + new string('c', 2100) } } },
        // PostgreSQL cannot store NUL (22021), and no name, branch or URL has a use for a control character.
        { "name", new { name = "a\u0000b" } },
        { "name", new { name = "z\u0000" } },
        { "name", new { name = "two\nlines" } },
        { "repository.name", new { name = "ok", repository = new { name = "r\u0007" } } },
        { "repository.selected_branch", new { name = "ok", repository = new { selected_branch = "ma\u0000ster" } } },
        { "repository.html_url", new { name = "ok", repository = new { html_url = "https://github.com/acme/\u0000" } } },
        { "repository.clone_url", new { name = "ok", repository = new { clone_url = "git@github.com:acme/x.git\r" } } },
    };

    [Theory]
    [MemberData(nameof(InvalidProjects))]
    public async Task An_invalid_project_is_a_400_problem_that_names_the_field(string field, object project)
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, "/api/projects", project);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field);
    }

    [Theory]
    [MemberData(nameof(InvalidProjects))]
    public async Task An_invalid_project_patch_is_a_400_problem_and_changes_nothing(string field, object patch)
    {
        var (projectId, _) = await Server.CreateProjectAsync("unchanged");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/projects/{projectId}", patch);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field);
        var project = await Server.GetAsync($"/api/projects/{projectId}");
        Assert.Equal("unchanged", project.GetProperty("name").GetString());
        Assert.Equal("https://github.com/acme/unchanged", project.GetProperty("repository").GetProperty("html_url").GetString());
    }

    [Fact]
    public async Task A_project_without_a_name_is_a_400_problem()
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, "/api/projects", new { repository = new { name = "nameless" } });

        await ApiProblemAssert.IsInvalidFieldAsync(response, "name");
    }

    [Fact]
    public async Task An_ssh_clone_url_is_accepted()
    {
        var project = await Server.PostAsync("/api/projects", new { name = "ssh", repository = new { clone_url = "git@github.com:acme/ssh.git" } });

        Assert.Equal("git@github.com:acme/ssh.git", project.GetProperty("repository").GetProperty("clone_url").GetString());
    }
}
