using System.Text;
using System.Text.Unicode;

namespace BuildHooks.Server.Services.Bins;

/// <summary>A captured body as text when it is UTF-8 (a cut in the middle of a character does not count against it), else null.</summary>
public static class BinBody
{
    public static string? Utf8Text(byte[] body, bool truncated)
    {
        if (Utf8.IsValid(body))
        {
            return Encoding.UTF8.GetString(body);
        }

        // The cap may have split the last character: up to three bytes of an unfinished sequence are forgiven.
        for (var drop = 1; truncated && drop <= 3 && drop < body.Length; drop++)
        {
            if (Utf8.IsValid(body.AsSpan(0, body.Length - drop)))
            {
                return Encoding.UTF8.GetString(body, 0, body.Length - drop);
            }
        }

        return null;
    }
}
