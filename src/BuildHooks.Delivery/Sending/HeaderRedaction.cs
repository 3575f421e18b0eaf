namespace BuildHooks.Delivery.Sending;

/// <summary>Hides header values that carry credentials before they are logged or shown.</summary>
public static class HeaderRedaction
{
    public const string Redacted = "[REDACTED]";

    private static readonly string[] SecretWords = ["authorization", "token", "secret", "password", "api-key", "apikey", "cookie", "x-api-key", "private"];

    public static bool IsSecret(string headerName) =>
        SecretWords.Any(w => headerName.Contains(w, StringComparison.OrdinalIgnoreCase));

    public static string Value(string headerName, string value) => IsSecret(headerName) ? Redacted : value;
}
