using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// The web forms posted over plain HTTP as a browser would (session cookie and antiforgery token), with what a browser's own
/// checks would have stopped: a request that names no handler of the page, and number fields that are not numbers.
/// </summary>
public sealed class WebFormTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    public static TheoryData<string, string> PagesAndMethods => new()
    {
        { "POST", "/projects/{project}" },
        { "PUT", "/projects/{project}" },
        { "DELETE", "/projects/{project}/hooks/{hook}" },
        { "POST", "/projects/{project}/hooks/{hook}?handler=Bogus" },
        { "PATCH", "/projects/{project}/builds/{build}" },
        { "POST", "/request-bins/{bin}" },
    };

    [Theory]
    [MemberData(nameof(PagesAndMethods))]
    public async Task A_request_that_names_no_handler_of_the_page_is_a_405_not_a_500(string method, string path)
    {
        var (projectId, _) = await Server.CreateProjectAsync("no-handler");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks" })).Id();
        var buildId = (await Server.ReportBuildAsync(projectId)).Id();
        var bin = (await Server.PostAsync("/api/bins", new { })).Str("id");
        path = path.Replace("{project}", $"{projectId}", StringComparison.Ordinal).Replace("{hook}", $"{hookId}", StringComparison.Ordinal)
            .Replace("{build}", $"{buildId}", StringComparison.Ordinal).Replace("{bin}", bin, StringComparison.Ordinal);
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, new HttpMethod(method), $"/projects/{projectId}", path, []);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("allowed: GET, HEAD", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Form.MaxAttempts", "3x", "max_attempts")]
    [InlineData("Form.MaxAttempts", "99999999999", "max_attempts")]
    [InlineData("Form.TimeoutSeconds", "1.5", "timeout_seconds")]
    public async Task A_number_field_that_is_not_a_number_is_refused_not_saved_as_the_default(string field, string value, string mention)
    {
        var (projectId, _) = await Server.CreateProjectAsync("not-a-number");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks", max_attempts = 3, timeout_seconds = 5 })).Id();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, HttpMethod.Post, $"/projects/{projectId}?edit={hookId}", $"/projects/{projectId}?hookId={hookId}&handler=EditHook",
            [new("Form.Url", "http://127.0.0.1:9/hooks"), new("Form.Triggers", "any"), new(field, value)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{mention} must be between 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var hook = await Server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.Equal(3, hook.GetProperty("max_attempts").GetInt32());
        Assert.Equal(5, hook.GetProperty("timeout_seconds").GetInt32());
    }

    [Fact]
    public async Task The_edit_link_of_a_deleted_hook_is_a_404_page_that_says_so()
    {
        var (projectId, _) = await Server.CreateProjectAsync("deleted-edit");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks" })).Id();
        (await Server.Admin.DeleteAsync($"/api/projects/{projectId}/hooks/{hookId}")).EnsureSuccessStatusCode();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        // Where the back button goes after Delete hook: the page showed the project without the form and without a word.
        using var response = await browser.GetAsync($"/projects/{projectId}?edit={hookId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"No hook {hookId} in project {projectId}", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_project_form_names_each_wrong_field_once_and_only_fields_it_has()
    {
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        // The form's name also names the repository, and its URL also makes the clone URL: each error came twice.
        using var response = await SendFormAsync(browser, HttpMethod.Post, "/projects", "/projects?handler=Create",
            [new("Name", new string('n', 201)), new("RepositoryUrl", "ftp://example.com/app"), new("Branch", "main")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("name must be at most 200 characters", page, StringComparison.Ordinal);
        Assert.Contains("repository.html_url must be", page, StringComparison.Ordinal);
        Assert.DoesNotContain("repository.name", page, StringComparison.Ordinal);
        Assert.DoesNotContain("repository.clone_url", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_named_in_two_rows_is_refused_not_half_kept()
    {
        var (projectId, _) = await Server.CreateProjectAsync("two-rows");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks", headers = new Dictionary<string, string> { ["X-Team"] = "ops" } })).Id();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, HttpMethod.Post, $"/projects/{projectId}?edit={hookId}", $"/projects/{projectId}?hookId={hookId}&handler=EditHook",
            [new("Form.Url", "http://127.0.0.1:9/hooks"), new("Form.Triggers", "any"),
             new("Form.HeaderNames", "X-Team"), new("Form.HeaderValues", "ops"), new("Form.HeaderNames", "x-team"), new("Form.HeaderValues", "dev")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is named in two rows", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ops", (await Server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}")).GetProperty("headers").GetProperty("X-Team").GetString());
    }

    [Fact]
    public async Task A_bin_status_that_is_not_a_number_is_refused_not_made_a_200_bin()
    {
        var before = (await Server.GetAsync("/api/bins")).GetArrayLength();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, HttpMethod.Post, "/request-bins", "/request-bins?handler=Create",
            [new("Name", "typo"), new("ResponseStatus", "5o3")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("response_status must be an HTTP status", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await Server.GetAsync("/api/bins")).GetArrayLength());
    }

    [Fact]
    public async Task Send_this_projects_hooks_here_names_the_bin_without_cutting_an_emoji_in_half()
    {
        var (projectId, _) = await Server.CreateProjectAsync(new string('x', 89) + "🚀 app");
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, HttpMethod.Post, $"/projects/{projectId}", "/request-bins?handler=ForProject",
            [new("projectId", $"{projectId}")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var bin = (await Server.GetAsync("/api/bins")).EnumerateArray().First(b => b.GetProperty("name").GetString()?.StartsWith("xxx", StringComparison.Ordinal) == true);
        Assert.Equal(new string('x', 89) + " hooks", bin.Str("name"));
    }

    [Fact]
    public async Task A_form_with_a_stale_antiforgery_token_is_refused_to_a_browser_with_a_page_not_json()
    {
        var (projectId, _) = await Server.CreateProjectAsync("stale-form");
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/projects?handler=Delete", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("id", $"{projectId}"), new("__RequestVerificationToken", "CfDJ8stale")]),
        };
        // What Chromium sends when a form is submitted.
        request.Headers.Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("reload the page and submit it again", page, StringComparison.Ordinal);
        Assert.Contains("Sign out", page, StringComparison.Ordinal);
        using var project = await Server.Admin.GetAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, project.StatusCode);
    }

    [Theory]
    [InlineData("Form.HeaderValues", "dev\u0001", "U+0001")]
    [InlineData("Form.Url", "http://127.0.0.1:9/hooks\u001b[2J", "U+001B")]
    [InlineData("Form.HeaderValues", "two\nlines", "U+000A")]
    [InlineData("Form.Branches", "main\u0007", "U+0007")]
    public async Task A_hook_form_field_with_a_control_character_is_refused_and_nothing_is_saved(string field, string value, string named)
    {
        var (projectId, _) = await Server.CreateProjectAsync("control-characters");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks", headers = new Dictionary<string, string> { ["X-Team"] = "ops" } })).Id();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);
        KeyValuePair<string, string>[] fields =
            [new("Form.Url", "http://127.0.0.1:9/other"), new("Form.Triggers", "any"), new("Form.HeaderNames", "X-Team"), new("Form.HeaderValues", "dev")];

        using var response = await SendFormAsync(browser, HttpMethod.Post, $"/projects/{projectId}?edit={hookId}", $"/projects/{projectId}?hookId={hookId}&handler=EditHook",
            [.. fields.Where(f => f.Key != field), new(field, value)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"the field {field["Form.".Length..]} holds a control character ({named})", page, StringComparison.Ordinal);
        var hook = await Server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.Equal("http://127.0.0.1:9/hooks", hook.Str("url"));
        Assert.Equal("ops", hook.GetProperty("headers").GetProperty("X-Team").GetString());
    }

    [Fact]
    public async Task A_project_name_with_a_nul_is_refused_on_every_database()
    {
        var before = (await Server.GetAsync("/api/projects")).GetArrayLength();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);
        var token = WebSession.Antiforgery(await browser.GetStringAsync(new Uri("/projects", UriKind.Relative)));
        // Multipart: a URL-encoded %00 is refused by the form reader itself, a multipart field's bytes are not.
        using var form = new MultipartFormDataContent
        {
            { new StringContent("app\u0000"), "Name" },
            { new StringContent("https://git.example.com/app"), "RepositoryUrl" },
            { new StringContent("main"), "Branch" },
            { new StringContent(token), "__RequestVerificationToken" },
        };

        using var response = await browser.PostAsync(new Uri("/projects?handler=Create", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the field Name holds a control character (U+0000) at position 3", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, (await Server.GetAsync("/api/projects")).GetArrayLength());
    }

    [Fact]
    public async Task Line_breaks_in_the_branches_box_are_the_users_own()
    {
        var (projectId, _) = await Server.CreateProjectAsync("branches-box");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks" })).Id();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await SendFormAsync(browser, HttpMethod.Post, $"/projects/{projectId}?edit={hookId}", $"/projects/{projectId}?hookId={hookId}&handler=EditHook",
            [new("Form.Url", "http://127.0.0.1:9/hooks"), new("Form.Triggers", "any"), new("Form.Branches", "main\r\nrelease/*\thotfix")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var branches = (await Server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}")).GetProperty("branches").EnumerateArray().Select(b => b.GetString()!).ToArray();
        Assert.Equal<string>(["main", "release/*", "hotfix"], branches);
    }

    /// <summary>The form's fields and the antiforgery token of <paramref name="page"/>, sent to <paramref name="action"/> with <paramref name="method"/>.</summary>
    private static async Task<HttpResponseMessage> SendFormAsync(HttpClient browser, HttpMethod method, string page, string action, KeyValuePair<string, string>[] fields)
    {
        var token = WebSession.Antiforgery(await browser.GetStringAsync(new Uri(page, UriKind.Relative)));
        using var request = new HttpRequestMessage(method, new Uri(action, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]),
        };
        return await browser.SendAsync(request);
    }
}
