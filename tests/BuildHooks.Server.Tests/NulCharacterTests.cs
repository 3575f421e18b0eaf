using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// A NUL character where no check looks for one: PostgreSQL cannot even compare it (22021), so a lookup with it failed
/// with a 500. The badge's branch is checked; anything else that reaches the database is answered 400 by the net under
/// the checks (UnstorableTextExceptionHandler).
/// </summary>
public sealed class NulCharacterTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
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
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);

        using var response = await browser.GetAsync(new Uri("/deliveries/find?webhook_id=msg_%00", UriKind.Relative));

        // SQLite finds no such delivery (404); PostgreSQL refuses the value (400). Either way the user is told.
        Assert.InRange((int)response.StatusCode, 400, 499);
    }
}
