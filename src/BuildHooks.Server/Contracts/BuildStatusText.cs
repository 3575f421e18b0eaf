using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

internal static class BuildStatusText
{
    public static bool TryParse(string text, out BuildStatus status) =>
        Enum.TryParse(text, true, out status) && !int.TryParse(text, out _);
}
