namespace BuildHooks.Core.Model;

/// <summary>The source repository of a project, as Ship.io's payload describes it.</summary>
public sealed class Repository
{
    public string Name { get; set; } = "";
    public string SelectedBranch { get; set; } = "master";
    public string? HtmlUrl { get; set; }
    public string? CloneUrl { get; set; }
}
