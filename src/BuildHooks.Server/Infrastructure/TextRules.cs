namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Which characters a text field may hold. PostgreSQL cannot store NUL at all (22021), and no name, branch, URL or header
/// has a use for any control character; only multi-line text (a commit message) keeps tabs and line breaks.
/// </summary>
public static class TextRules
{
    /// <summary>The first control character (C0, DEL or C1) in <paramref name="text"/>, or -1.</summary>
    public static int FirstControl(string text) => text.AsSpan().IndexOfAnyInRange('\0', '\u001f') is var c0 and >= 0
        ? c0
        : text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');

    /// <summary>The first control character other than tab, line feed and carriage return, or -1.</summary>
    public static int FirstControlInMultiline(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]) && text[i] is not ('\t' or '\n' or '\r'))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool IsOneLine(string text) => FirstControl(text) < 0;
}
