using System.Diagnostics;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>A temporary git repository with one commit by a known author on a known branch.</summary>
public sealed class GitRepository : IDisposable
{
    public const string Author = "Ada Lovelace";
    public const string Committer = "Charles Babbage";
    public const string Message = "Fix the login screen";
    public const string Branch = "feature/cli";

    private GitRepository(string directory, string commit)
    {
        Directory = directory;
        Commit = commit;
    }

    public string Directory { get; }

    public string Commit { get; }

    public static async Task<GitRepository> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "buildhooks-cli-tests", "repo-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await GitAsync(directory, "init", "--quiet");
        await GitAsync(directory, "checkout", "--quiet", "-b", Branch);
        await File.WriteAllTextAsync(Path.Combine(directory, "README"), "hello\n");
        await GitAsync(directory, "add", "README");
        await GitAsync(directory, "-c", $"user.name={Committer}", "-c", "user.email=charles@example.com",
            "commit", "--quiet", "--author", $"{Author} <ada@example.com>", "-m", Message);
        var commit = (await GitAsync(directory, "rev-parse", "HEAD")).Trim();
        return new GitRepository(directory, commit);
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var errors = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {errors}");
        return await output;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
