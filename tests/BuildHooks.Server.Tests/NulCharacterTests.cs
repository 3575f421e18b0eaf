using System.Net;
using System.Text.RegularExpressions;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// A NUL character where no check looks for one: PostgreSQL cannot even compare it (22021), so a lookup with it failed
/// with a 500. The badge's branch is checked; anything else that reaches the database is answered 400 by the net under
/// the checks (UnstorableTextExceptionHandler).
/// </summary>
public sealed partial class NulCharacterTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task A_badge_asked_for_a_branch_with_a_nul_is_a_400_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("nul-badge");
        var key = (await Server.GetAsync($"/api/projects/{projectId}")).GetProperty("key").GetString();

        using var response = await Server.Anonymous.GetAsync(new Uri($"/projects/{key}/badge.svg?branch=ma%00ster", UriKind.Relative));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "branch", "control character");
    }

    [Fact]
    public async Task A_signed_in_find_by_a_webhook_id_with_a_nul_is_answered_4xx_not_500()
    {
        using var browser = await SignedInAsync();

        using var response = await browser.GetAsync(new Uri("/deliveries/find?webhook_id=msg_%00", UriKind.Relative));

        // SQLite finds no such delivery (404); PostgreSQL refuses the value (400). Either way the user is told.
        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    /// <summary>A client holding the web interface's session cookie, signed in through the sign-in form as a browser is.</summary>
    private async Task<HttpClient> SignedInAsync()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(Server.BaseUrl),
        };
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = AntiforgeryToken().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("token", InProcessServer.AdminToken), new("__RequestVerificationToken", antiforgery)]);
        using var signedIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
