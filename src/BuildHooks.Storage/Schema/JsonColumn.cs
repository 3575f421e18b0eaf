using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BuildHooks.Storage.Schema;

/// <summary>A small collection kept as one JSON text column: hooks' triggers, branches and headers are read whole.</summary>
public static class JsonColumn
{
    /// <summary>Enums as words, so a stored row stays readable and survives reordering the enum.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) where T : new() => JsonSerializer.Deserialize<T>(json, Options) ?? new T();

    internal static ValueConverter<T, string> Converter<T>() where T : new() => new(v => Write(v), v => Read<T>(v));

    internal static ValueComparer<T> Comparer<T>() where T : new() => new(
        (a, b) => Write(a) == Write(b),
        v => Write(v).GetHashCode(StringComparison.Ordinal),
        v => Read<T>(Write(v)));
}
