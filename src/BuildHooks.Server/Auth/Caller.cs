using System.Globalization;
using System.Security.Claims;

namespace BuildHooks.Server.Auth;

/// <summary>Who is calling, as the endpoints that serve both admins and report tokens need to know.</summary>
public static class Caller
{
    public static bool MayReport(this ClaimsPrincipal user, long projectId) =>
        user.IsInRole(Policies.AdminRole) ||
        user.FindFirstValue(Policies.ProjectClaim) == projectId.ToString(CultureInfo.InvariantCulture);
}
