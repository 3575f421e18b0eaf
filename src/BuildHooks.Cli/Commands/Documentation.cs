namespace BuildHooks.Cli.Commands;

/// <summary>A command's one-paragraph description and the example command lines its --help shows.</summary>
public sealed record Documentation(string Description, IReadOnlyList<string> Examples);
