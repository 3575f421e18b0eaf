using System.Globalization;
using System.Text.Json;
using BuildHooks.Cli.Api;
using Spectre.Console;

namespace BuildHooks.Cli.Rendering;

/// <summary>Reading API fields for display: missing or null becomes null, not an exception.</summary>
public static class Json
{
    public static string? Str(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => value.GetRawText(),
        };
    }

    public static JsonElement Obj(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    /// <summary>An ISO time from the API shown as local-looking "2026-11-24 10:09:01 -06:00".</summary>
    public static string? Time(this JsonElement element, string name) =>
        element.Str(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
            : element.Str(name);

    /// <summary>A build or delivery status in its colour, escaped for markup.</summary>
    public static Markup Status(string? status) => new(status switch
    {
        "pass" or "succeeded" => $"[green]{status}[/]",
        "fail" or "failed" => $"[red]{status}[/]",
        "error" => $"[maroon]{status}[/]",
        "running" or "pending" => $"[yellow]{status}[/]",
        null => "-",
        _ => Markup.Escape(status),
    });

    /// <summary>
    /// A value as plain text, with control characters shown as '?': response bodies and headers are the receiver's
    /// words, and a terminal would obey the escape sequences in them (set its title, recolour, clear the screen).
    /// </summary>
    public static Text Cell(string? value) => new(ServerText.Printable(value ?? "-"));
}
