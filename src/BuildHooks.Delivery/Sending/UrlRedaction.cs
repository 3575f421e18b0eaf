namespace BuildHooks.Delivery.Sending;

/// <summary>Hides credential-like query parameters of a hook URL (<c>?token=…</c>) before it is logged or shown.</summary>
public static class UrlRedaction
{
    private static readonly string[] SecretWords = ["token", "secret", "key", "signature", "password", "passwd", "auth", "credential"];
    private static readonly string[] SecretNames = ["sig", "pwd", "pass"];

    public static bool IsSecret(string parameterName) =>
        SecretWords.Any(w => parameterName.Contains(w, StringComparison.OrdinalIgnoreCase)) ||
        SecretNames.Any(n => parameterName.Equals(n, StringComparison.OrdinalIgnoreCase));

    /// <summary>The URL with the values of secret query parameters replaced by <c>[REDACTED]</c>; everything else as it was.</summary>
    public static string Redact(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }

        var fragment = url.IndexOf('#', query);
        var end = fragment < 0 ? url.Length : fragment;
        var parameters = url[(query + 1)..end].Split('&');
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var equals = parameters[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((equals < 0 ? parameters[i] : parameters[i][..equals]).Replace('+', ' '));
            if (equals >= 0 && IsSecret(name))
            {
                parameters[i] = parameters[i][..(equals + 1)] + HeaderRedaction.Redacted;
                changed = true;
            }
        }

        // A fragment is never sent, but may hold a token too: it is dropped from what is shown.
        return changed || fragment >= 0 ? string.Concat(url.AsSpan(0, query + 1), string.Join('&', parameters)) : url;
    }
}
