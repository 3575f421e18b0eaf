using BuildHooks.Cli.Api;

namespace BuildHooks.Cli.Running;

/// <summary><c>--project</c> takes a project's id (<c>1</c>) or its key (<c>AQ_9V0GKpZ8Zkjj_</c>, Ship.io's job id).</summary>
public static class ProjectReference
{
    /// <summary>The id when <paramref name="value"/> is one; else null and the key must be looked up.</summary>
    public static long? AsId(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    /// <summary>The project's id; a key is looked up on the server (a report token may look up its own project).</summary>
    public static async Task<long> ResolveAsync(ApiClient api, string value, CancellationToken cancellationToken) =>
        AsId(value) ?? (await api.GetAsync($"api/projects/by-key/{Uri.EscapeDataString(value)}", cancellationToken)).Json.GetProperty("id").GetInt64();
}
