using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace BuildHooks.Server.Web;

/// <summary>Bodies as a person wants to read them: JSON indented, a form's <c>payload=</c> decoded and indented.</summary>
public static class BodyText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Readable(string? body, string? contentType)
    {
        if (string.IsNullOrEmpty(body))
        {
            return "";
        }

        if (contentType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = QueryHelpers.ParseQuery(body);
            var text = new StringBuilder();
            foreach (var (name, values) in form)
            {
                foreach (var value in values)
                {
                    text.Append(name).Append(" =\n").Append(Json(value ?? "") ?? value).Append('\n');
                }
            }

            return text.Length > 0 ? text.ToString().TrimEnd() : body;
        }

        return Json(body) ?? body;
    }

    public static string Readable(byte[] body, string? contentType) => Readable(Encoding.UTF8.GetString(body), contentType);

    /// <summary>The header value's content type, or null.</summary>
    public static string? ContentTypeOf(IReadOnlyDictionary<string, string>? headers) =>
        headers?.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Json(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
