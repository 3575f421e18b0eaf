namespace BuildHooks.Cli.Running;

/// <summary>What a build report says about the code it ran on; null fields are unknown and filled from the layer below.</summary>
public sealed record CommitInfo(string? Commit = null, string? Author = null, string? Committer = null, string? Message = null, string? Branch = null)
{
    /// <summary>This, with every field <paramref name="over"/> knows replacing ours.</summary>
    public CommitInfo OverriddenBy(CommitInfo over) => new(
        over.Commit ?? Commit, over.Author ?? Author, over.Committer ?? Committer, over.Message ?? Message, over.Branch ?? Branch);

    /// <summary>git in the working directory, then the CI's environment, then flags.</summary>
    public static async Task<CommitInfo> ResolveAsync(CliContext context, CommitInfo flags, CancellationToken cancellationToken)
    {
        var git = await GitInfo.ReadAsync(context.WorkingDirectory, cancellationToken);
        return git.OverriddenBy(CiEnvironment.Read(context)).OverriddenBy(flags);
    }
}
