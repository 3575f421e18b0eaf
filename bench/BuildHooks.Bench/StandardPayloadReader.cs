using System.Buffers;
using System.Text.Json;

namespace BuildHooks.Bench;

/// <summary>
/// Pulls <c>data.build.commit</c> out of a Standard payload without building a DOM: the receiver
/// must stay far faster than the server it measures, so it reads tokens and skips everything else.
/// </summary>
public static class StandardPayloadReader
{
    private static readonly byte[][] CommitPath = ["data"u8.ToArray(), "build"u8.ToArray(), "commit"u8.ToArray()];

    /// <returns>The build index encoded in the commit, or -1 when the body is not one of this run's payloads.</returns>
    public static long BuildIndex(ReadOnlySequence<byte> body, CommitSha shas)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? FindCommit(ref reader, shas) : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private static long FindCommit(ref Utf8JsonReader reader, CommitSha shas)
    {
        for (var level = 0; level < CommitPath.Length; level++)
        {
            if (!MoveToProperty(ref reader, CommitPath[level]))
            {
                return -1;
            }

            var last = level == CommitPath.Length - 1;
            if (reader.TokenType != (last ? JsonTokenType.String : JsonTokenType.StartObject))
            {
                return -1;
            }
        }

        // A sha is plain hex, so its raw length is its length; anything else is not ours.
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length != CommitSha.Length)
        {
            return -1;
        }

        Span<byte> sha = stackalloc byte[CommitSha.Length];
        return reader.CopyString(sha) == CommitSha.Length ? shas.IndexOf(sha) : -1;
    }

    /// <summary>Within the current object, leaves the reader on the value of <paramref name="name"/>.</summary>
    private static bool MoveToProperty(ref Utf8JsonReader reader, byte[] name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
