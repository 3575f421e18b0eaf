using System.Text.Json;

namespace BuildHooks.Core.Tests;

/// <summary>Compares two JSON documents field for field: names, order, kinds and values.</summary>
internal static class JsonAssert
{
    public static void Equal(string expected, ReadOnlySpan<byte> actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual.ToArray());
        Equal(expectedDocument.RootElement, actualDocument.RootElement, "$");
    }

    public static void Equal(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind}, got {actual.ValueKind} ({actual.GetRawText()})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToArray();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToArray();
                Assert.True(expectedNames.SequenceEqual(actualNames), $"{path}: expected fields [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
                foreach (var property in expected.EnumerateObject())
                {
                    Equal(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}");
                var index = 0;
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    Equal(e, a, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString(), $"{path}: expected \"{expected.GetString()}\", got \"{actual.GetString()}\"");
                break;
            case JsonValueKind.Number:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                break;
        }
    }
}
