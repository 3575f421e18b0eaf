using BuildHooks.Core.Model;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>
/// Which exit status goes with which build status, as the CLI decides it: result 0 is pass, any other result fail, and
/// error (the command could not run) and running have none. A report that gives both must give a pair that agrees.
/// </summary>
internal static class ResultCode
{
    /// <summary>The status a report or finish names, or else the one its result means (0 pass, anything else fail).</summary>
    public static BuildStatus StatusOf(string? status, int? result) =>
        status is not null && EnumName.TryParse<BuildStatus>(status, out var named) ? named : result == 0 ? BuildStatus.Pass : BuildStatus.Fail;

    /// <summary>The result stored for a status given alone: 0 for pass, none while running, 1 otherwise.</summary>
    public static int? Of(BuildStatus status) => status switch
    {
        BuildStatus.Pass => 0,
        BuildStatus.Running => null,
        _ => 1,
    };

    public static Validation CheckAgrees(this Validation v, string? status, int? result)
    {
        if (result is not { } code || !EnumName.TryParse<BuildStatus>(status, out var named))
        {
            return v;
        }

        var agrees = named switch
        {
            BuildStatus.Pass => code == 0,
            BuildStatus.Fail => code != 0,
            _ => false,
        };
        return v.Check(agrees, "result",
            $"result {code} does not go with status '{named.ToString().ToLowerInvariant()}': pass goes with result 0, fail with any other result, "
            + "and error and running with no result. Send status or result alone, or a pair that agrees.");
    }
}
