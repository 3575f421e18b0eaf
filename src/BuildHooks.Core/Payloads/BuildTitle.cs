using System.Globalization;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>Magnum's build title: <c>[PASS] project-name #130 (master - e91e132) by Dan Sosedoff</c>.</summary>
public static class BuildTitle
{
    public const int ShortCommitLength = 7;

    public static string For(Build build, Project project)
    {
        var status = WireNames.Status(build.Status).ToUpperInvariant();
        var commit = build.Commit.Length > ShortCommitLength ? build.Commit[..ShortCommitLength] : build.Commit;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{status}] {project.Name} #{build.Number} ({build.Branch} - {commit}) by {build.Author}");
    }
}
