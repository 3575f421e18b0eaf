using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// The web interface's sessions live in the database (web_sessions), on both providers: Sign out deletes the session, so a
/// copy of its cookie taken before opens nothing afterwards. WebAuthTests shows the same in Chromium on SQLite.
/// </summary>
public sealed class WebSessionTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task Sign_out_deletes_the_session_so_a_copy_of_its_cookie_opens_nothing()
    {
        var cookies = new CookieContainer();
        using var browser = await WebSession.SignInAsync(Server.BaseUrl, cookies);
        var copied = cookies.GetCookies(new Uri(Server.BaseUrl))["buildhooks"]!.Value;
        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Server.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(thief, copied, "/projects"));
        var sessions = await TestDatabase.ScalarAsync(Server.DataDirectory, "SELECT count(*) FROM web_sessions");

        var page = await browser.GetStringAsync(new Uri("/projects", UriKind.Relative));
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", WebSession.Antiforgery(page))]);
        using var signedOut = await browser.PostAsync(new Uri("/signout", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await StatusWithAsync(thief, copied, "/projects"));
        Assert.Equal(sessions - 1, await TestDatabase.ScalarAsync(Server.DataDirectory, "SELECT count(*) FROM web_sessions"));
    }

    private static async Task<HttpStatusCode> StatusWithAsync(HttpClient client, string cookie, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", $"buildhooks={cookie}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
