using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: the admin token gives the admin role; a project's report
/// token gives a project claim that lets it report that project's builds and nothing else.
/// </summary>
public sealed class TokenAuthentication(
    IOptionsMonitor<TokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken adminToken,
    ReportTokens reportTokens) : AuthenticationHandler<TokenAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 512)
        {
            return AuthenticateResult.Fail("The bearer token is empty or too long.");
        }

        Claim[] claims;
        if (adminToken.Matches(token))
        {
            claims = [new Claim(ClaimTypes.Role, Policies.AdminRole)];
        }
        else if (await reportTokens.ProjectOfAsync(token, Context.RequestAborted) is { } projectId)
        {
            claims = [new Claim(Policies.ProjectClaim, projectId.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }
        else
        {
            return AuthenticateResult.Fail("The bearer token is not valid.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: 401,
            title: "Authentication required",
            detail: "Send 'Authorization: Bearer <token>' with the admin token or the project's report token.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: 403,
            title: "Not allowed with this token",
            detail: "A project's report token may only report builds of its own project; everything else needs the admin token.").ExecuteAsync(Context);
    }
}
