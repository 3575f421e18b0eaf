using System.CommandLine;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Commands;

/// <summary>--commit, --branch, --author, --committer, --message: the last word over git and the CI's environment.</summary>
public sealed class CommitOptions
{
    public Option<string?> Commit { get; } = new("--commit") { Description = "Commit SHA (default: git rev-parse HEAD, or the CI's variable)" };
    public Option<string?> Branch { get; } = new("--branch") { Description = "Branch (default: the current git branch, or the CI's variable)" };
    public Option<string?> Author { get; } = new("--author") { Description = "Commit author (default: from git log, or the CI's variable)" };
    public Option<string?> Committer { get; } = new("--committer") { Description = "Committer (default: from git log)" };
    public Option<string?> Message { get; } = new("--message") { Description = "Commit message (default: from git log, or the CI's variable)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Commit, Branch, Author, Committer, Message })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>git, then CI variables, then these flags; commit and branch are required by the server, so their absence is a usage error.</summary>
    public async Task<CommitInfo> ResolveAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var info = await ReadAsync(parse, context, cancellationToken);
        return Missing(info) is { } missing ? throw new UsageException(missing) : info;
    }

    /// <summary>git, then CI variables, then these flags, whatever is missing.</summary>
    public Task<CommitInfo> ReadAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken) =>
        CommitInfo.ResolveAsync(context, new CommitInfo(parse.GetValue(Commit), parse.GetValue(Author), parse.GetValue(Committer), parse.GetValue(Message), parse.GetValue(Branch)),
            cancellationToken);

    /// <summary>What stops <paramref name="info"/> from being reported, and how to supply it; null when nothing does.</summary>
    public static string? Missing(CommitInfo info) =>
        info.Commit is null ? "No commit: not in a git repository and no CI variable gives it; pass --commit <sha>."
        : info.Branch is null ? "No branch: git is on a detached HEAD and no CI variable gives it; pass --branch <name>."
        : null;
}
