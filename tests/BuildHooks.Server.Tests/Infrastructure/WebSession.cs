using System.Net;
using System.Text.RegularExpressions;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A browser's session over plain HTTP: signed in through the /signin form (antiforgery token included), cookies kept.</summary>
public static partial class WebSession
{
    /// <summary>A signed-in client; its cookies go into <paramref name="cookies"/> when given, for a test to read.</summary>
    public static async Task<HttpClient> SignInAsync(string baseUrl, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = Antiforgery(form);
        using var body = new FormUrlEncodedContent([new("token", InProcessServer.AdminToken), new("__RequestVerificationToken", antiforgery)]);
        using var signedIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    /// <summary>The antiforgery token of the first form in <paramref name="page"/>, for posting it as the browser would.</summary>
    public static string Antiforgery(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
