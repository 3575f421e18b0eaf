using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Reads every string of an API request body and refuses control characters (see <see cref="TextRules"/>) and bytes
/// that are not UTF-8, so one place guards every text field of every write contract, list items and header values included.
/// </summary>
public sealed class TextConverter(bool multiline) : JsonConverter<string>
{
    public TextConverter() : this(multiline: false)
    {
    }

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException) when (reader.TokenType == JsonTokenType.String)
        {
            throw new RefusedTextException("is not valid UTF-8; send the body as UTF-8.");
        }

        if (text is null)
        {
            return null;
        }

        var at = multiline ? TextRules.FirstControlInMultiline(text) : TextRules.FirstControl(text);
        return at < 0
            ? text
            : throw new RefusedTextException($"must not contain control characters{(multiline ? " other than tabs and line breaks" : "")}: U+{(int)text[at]:X4} at position {at}.");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
