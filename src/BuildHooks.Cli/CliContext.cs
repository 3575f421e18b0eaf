using System.Collections;

namespace BuildHooks.Cli;

/// <summary>Everything the CLI takes from the world it runs in, so tests can run it in-process with their own.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Variables, string WorkingDirectory)
{
    public static CliContext FromProcess() => new(Console.Out, Console.Error, ReadEnvironment(), Directory.GetCurrentDirectory());

    /// <summary>An environment variable, treating empty as unset (CI systems often export empty values).</summary>
    public string? Env(string name) => Variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Where <c>buildhooks login</c> keeps the profile: $BUILDHOOKS_CONFIG_DIR, else ~/.config/buildhooks.</summary>
    public string ConfigDirectory =>
        Env("BUILDHOOKS_CONFIG_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "buildhooks");

    /// <summary>Where unsent reports wait for <c>builds flush</c>: $BUILDHOOKS_SPOOL_DIR, else ~/.local/share/buildhooks/spool.</summary>
    public string SpoolDirectory =>
        Env("BUILDHOOKS_SPOOL_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "buildhooks", "spool");

    private static Dictionary<string, string> ReadEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return variables;
    }
}
