using BuildHooks.Core.Model;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>
/// Which exit status goes with which build status, as the CLI decides it: result 0 is pass, any other result fail, and
/// error (the command could not run) and running have none. A report that gives both must give a pair that agrees.
/// </summary>
internal static class ResultCode
{
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
