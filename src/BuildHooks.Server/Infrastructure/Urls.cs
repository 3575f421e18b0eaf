namespace BuildHooks.Server.Infrastructure;

public static class Urls
{
    public static bool IsHttp(string? value) =>
        value is { Length: <= 2048 } &&
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        uri.Host.Length > 0;

    public static bool IsHttpOrNull(string? value) => value is null || IsHttp(value);
}
