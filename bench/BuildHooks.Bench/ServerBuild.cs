using System.Diagnostics;

namespace BuildHooks.Bench;

/// <summary>Finds the repository and builds the server in Release, so that a bare run measures current code.</summary>
public static class ServerBuild
{
    private const string SolutionFile = "BuildHooks.slnx";

    public static Task<string> BuildAsync(CancellationToken ct) => BuildAsync(Path.Combine("src", "BuildHooks.Server"), "BuildHooks.Server.dll", ct);

    /// <param name="projectFolder">Relative to the repository root.</param>
    public static async Task<string> BuildAsync(string projectFolder, string dllName, CancellationToken ct)
    {
        var root = FindRepoRoot();
        var project = Path.Combine(root, projectFolder);
        Console.Error.WriteLine($"building {project} (Release)...");

        // Output is left on the console: a failing server build must be readable as it is.
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root };
        foreach (var arg in new[] { "build", "-c", "Release", project, "-nologo", "-v", "quiet" })
        {
            info.ArgumentList.Add(arg);
        }

        using var build = Process.Start(info) ?? throw new InvalidOperationException("could not start 'dotnet build'");
        await build.WaitForExitAsync(ct);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet build' of {project} failed with exit code {build.ExitCode}");
        }

        var dll = Path.Combine(project, "bin", "Release", "net10.0", dllName);
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"the build succeeded but {dll} is not there; pass --server-dll");
    }

    /// <summary>Walks up from the working directory, then from the bench's own binaries, to the folder holding the solution.</summary>
    public static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no {SolutionFile} above {Directory.GetCurrentDirectory()}; run from the repository or pass --server-dll");
    }
}
