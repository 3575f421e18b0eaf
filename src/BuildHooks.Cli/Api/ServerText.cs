namespace BuildHooks.Cli.Api;

/// <summary>
/// Text that came from the server (or from whatever answers at --url) made safe and short for a terminal: a hostile or
/// broken peer must not move the cursor, recolour or clear the screen through our error messages.
/// </summary>
public static class ServerText
{
    /// <summary>Control characters other than line breaks and tabs become '?' (a lone carriage return too: it can overwrite a line).</summary>
    public static string Printable(string text)
    {
        if (!text.Any(Unsafe))
        {
            return text;
        }

        return string.Concat(text.Replace("\r\n", "\n", StringComparison.Ordinal).Select(c => Unsafe(c) ? '?' : c));

        static bool Unsafe(char c) => char.IsControl(c) && c is not ('\n' or '\t');
    }

    /// <summary>The first <paramref name="length"/> characters, printable, on one line: enough to recognise a proxy's page.</summary>
    public static string Excerpt(string text, int length = 200)
    {
        var line = Printable(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return line.Length <= length ? line : line[..length] + "…";
    }
}
