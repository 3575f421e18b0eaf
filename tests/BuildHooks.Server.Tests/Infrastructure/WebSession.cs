using System.Net;
using System.Text.RegularExpressions;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A browser's session over plain HTTP: signed in through the /signin form (antiforgery token included), cookies kept.</summary>
public static partial class WebSession
{
    public static async Task<HttpClient> SignInAsync(string baseUrl)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        using var body = new FormUrlEncodedContent([new("token", InProcessServer.AdminToken), new("__RequestVerificationToken", antiforgery)]);
        using var signedIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
