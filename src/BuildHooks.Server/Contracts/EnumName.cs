namespace BuildHooks.Server.Contracts;

/// <summary>
/// Reads one of an enum's names as a client writes it (any case). Enum.TryParse alone also takes numbers ("1") and
/// comma-joined names ("pending,held", read as flags into some other value), which no client means.
/// </summary>
internal static class EnumName
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, true, out value) && !int.TryParse(text, out _) && !text.Contains(',');
}
