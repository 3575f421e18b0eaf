using System.ComponentModel;
using System.Diagnostics;

namespace BuildHooks.Cli.Running;

/// <summary>The commit checked out in a directory, read with git; all unknown outside a repository or without git.</summary>
public static class GitInfo
{
    public static async Task<CommitInfo> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var log = await GitAsync(directory, ["log", "-1", "--format=%H%x00%an%x00%cn%x00%B"], cancellationToken);
        if (log is null)
        {
            return new CommitInfo();
        }

        var parts = log.Split('\0', 4);
        var branch = (await GitAsync(directory, ["rev-parse", "--abbrev-ref", "HEAD"], cancellationToken))?.Trim();
        return new CommitInfo(
            Commit: Known(parts[0].Trim()),
            Author: parts.Length > 1 ? Known(parts[1]) : null,
            Committer: parts.Length > 2 ? Known(parts[2]) : null,
            Message: parts.Length > 3 ? Known(parts[3].TrimEnd()) : null,
            // A detached HEAD (how most CIs check out) has no branch name; the CI's environment supplies it.
            Branch: branch is "HEAD" ? null : Known(branch));
    }

    private static string? Known(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<string?> GitAsync(string directory, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = git.StandardError.ReadToEndAsync(cancellationToken);
            await git.WaitForExitAsync(cancellationToken);
            await errors;
            return git.ExitCode == 0 ? await output : null;
        }
        catch (Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
