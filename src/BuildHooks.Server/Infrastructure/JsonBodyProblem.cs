using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Says what is wrong with a request body the serializer refused, in the body's own terms: the field by its JSON path
/// (<c>repository.name</c>, <c>triggers[0]</c>) and what it must be, never the .NET type behind it.
/// </summary>
internal static partial class JsonBodyProblem
{
    /// <param name="Field">The member to list the message under in <c>errors</c> (list items and map entries under their list or map); null for the body as a whole.</param>
    public sealed record Explanation(string Title, string? Field, string Detail);

    public static Explanation Explain(JsonException exception, Type? bodyType, JsonSerializerOptions options)
    {
        // The reader's own errors (malformed JSON, nesting too deep) name a position, not a type: they stay as they are.
        if (exception.GetType().Name == "JsonReaderException" || exception.InnerException?.GetType().Name == "JsonReaderException")
        {
            return new("The request body is not valid JSON", null, $"The request body is not valid JSON: {exception.Message}");
        }

        var segments = Segments(exception.Path);
        if (bodyType is null)
        {
            return new("The request body could not be read", null, $"The request body could not be read at {Display(segments)}; check it against /docs.");
        }

        var info = options.GetTypeInfo(bodyType);
        JsonPropertyInfo? property = null;
        string field = "", key = "";
        foreach (var segment in segments)
        {
            if (info.Kind == JsonTypeInfoKind.Object && segment is string name)
            {
                property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name,
                    options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
                if (property is null)
                {
                    return Unknown(Join(field, name), info);
                }

                field = key = Join(field, property.Name);
                info = options.GetTypeInfo(property.PropertyType);
            }
            else if (info.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary && info.ElementType is { } element)
            {
                field = segment is int index ? $"{field}[{index}]" : Join(field, (string)segment);
                info = options.GetTypeInfo(element);
                property = null;
            }
            else
            {
                break;
            }
        }

        if (info.Kind == JsonTypeInfoKind.Object && UnmappedName().Match(exception.Message) is { Success: true } unmapped)
        {
            return Unknown(Join(field, unmapped.Groups[1].Value), info);
        }

        if (exception is RefusedTextException refused)
        {
            return new("Invalid text", key, $"{field} {refused.Reason}");
        }

        return field.Length == 0
            ? new("The request body must be a JSON object", null, $"Send a JSON object with the fields {Fields(info)}.")
            : new("A field has the wrong type", key, $"{field} must be {Describe(info, property)}.");
    }

    /// <summary>What a body of <paramref name="bodyType"/> holds, for a request that sent none.</summary>
    public static string Fields(Type bodyType, JsonSerializerOptions options) => Fields(options.GetTypeInfo(bodyType));

    private static Explanation Unknown(string field, JsonTypeInfo owner) =>
        new("Unknown field", field, $"{field} is not a field of {(field.LastIndexOf('.') is var dot and > 0 ? field[..dot] : "this request")}; "
            + $"its fields are {Fields(owner)}. Check the spelling against /docs.");

    private static string Fields(JsonTypeInfo info) => string.Join(", ", info.Properties.Where(p => p.Set is not null).Select(p => p.Name));

    private static string Describe(JsonTypeInfo info, JsonPropertyInfo? property)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(int) || type == typeof(long))
        {
            var range = property?.AttributeProvider?.GetCustomAttributes(typeof(RangeAttribute), true).OfType<RangeAttribute>().FirstOrDefault();
            return range is not null
                ? $"a whole number from {range.Minimum} to {range.Maximum}"
                : type == typeof(int) ? $"a whole number from {int.MinValue} to {int.MaxValue}" : "a whole number";
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date-time with an offset, such as 2026-11-24T10:00:00Z",
            _ when info.Kind == JsonTypeInfoKind.Enumerable => $"a list of {Plural(info.ElementType!)}, such as [\"a\", \"b\"]",
            _ when info.Kind == JsonTypeInfoKind.Dictionary => $"an object whose values are {Plural(info.ElementType!)}, such as {{\"X-Team\": \"ci\"}}",
            _ when info.Kind == JsonTypeInfoKind.Object => $"an object with the fields {Fields(info)}",
            _ => "another type (see /docs)",
        };
    }

    private static string Plural(Type element) => element == typeof(string) ? "strings" : "values";

    private static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";

    private static string Display(List<object> segments) => segments.Count == 0 ? "the top level" : string.Concat(segments.Select((s, i) =>
        s is int index ? $"[{index}]" : i == 0 ? (string)s : "." + s));

    /// <summary>The names and indices of a serializer path: <c>$.repository.name</c>, <c>$.triggers[0]</c>, <c>$.headers['X Y']</c>.</summary>
    private static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        foreach (Match m in PathSegment().Matches(path ?? ""))
        {
            segments.Add(m.Groups["index"].Success
                ? int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)
                : m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["name"].Value);
        }

        return segments;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'(?!\]))*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"^The JSON property '(.*)' could not be mapped", RegexOptions.Singleline)]
    private static partial Regex UnmappedName();
}
