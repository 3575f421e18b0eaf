using System.CommandLine;

namespace BuildHooks.Cli.Commands;

/// <summary>A command whose --help ends with examples.</summary>
public sealed class ExampleCommand(string name, Documentation documentation) : Command(name, documentation.Description)
{
    public IReadOnlyList<string> Examples { get; } = documentation.Examples;
}
