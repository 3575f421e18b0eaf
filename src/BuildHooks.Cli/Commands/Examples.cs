using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace BuildHooks.Cli.Commands;

/// <summary>Examples for --help, printed after the usage and kept out of descriptions so command lists stay one line each.</summary>
public static class Examples
{
    public static Documentation Describe(string description, params string[] examples) => new(description, examples);

    /// <summary>--help was asked for: show it even when the rest of the command line is incomplete.</summary>
    public static bool IsHelp(ParseResult parse) => parse.Action is HelpAction or ExamplesHelpAction;

    /// <summary>Makes the root's (recursive) --help print the command's examples after the standard help.</summary>
    public static void Install(RootCommand root, Documentation rootDocumentation)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, rootDocumentation);
    }

    private sealed class ExamplesHelpAction(HelpAction standard, Documentation root) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            var examples = parseResult.CommandResult.Command switch
            {
                ExampleCommand command => command.Examples,
                RootCommand => root.Examples,
                _ => [],
            };
            if (examples.Count > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine("  " + example);
                }

                output.WriteLine();
            }

            return result;
        }
    }
}
