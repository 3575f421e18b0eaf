namespace BuildHooks.Server.Auth;

public static class Policies
{
    public const string Admin = "admin";

    /// <summary>The admin, or a project's report token (checked against the project by the endpoint).</summary>
    public const string Reporter = "reporter";

    public const string AdminRole = "admin";
    public const string ProjectClaim = "project_id";
}
