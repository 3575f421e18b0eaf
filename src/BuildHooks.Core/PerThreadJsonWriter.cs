using System.Buffers;
using System.Text.Json;

namespace BuildHooks.Core;

/// <summary>
/// A JSON writer whose buffer each thread keeps, for documents written once per delivery or attempt in one synchronous
/// go and copied out at once. A fresh buffer per document cost several times the document: the writer asks for room
/// for the worst-case escaping of each string, and the buffer grows to that.
/// </summary>
public sealed class PerThreadJsonWriter(JsonWriterOptions options)
{
    // A buffer grown by an outsized document (a huge commit message, 64 KB of response headers) is not kept.
    private const int KeptBytes = 64 * 1024;

    private readonly ThreadLocal<(ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)?> _scratch = new();

    /// <summary>This thread's writer, empty, even after a document that an exception left half-written.</summary>
    public Utf8JsonWriter Start()
    {
        if (_scratch.Value is not var (buffer, json))
        {
            buffer = new ArrayBufferWriter<byte>(4096);
            json = new Utf8JsonWriter(buffer, options);
            _scratch.Value = (buffer, json);
        }

        buffer.ResetWrittenCount();
        json.Reset(buffer);
        return json;
    }

    /// <summary>Hands what was written since <see cref="Start"/> to <paramref name="copy"/>, which must not keep the span.</summary>
    public T Finish<T>(Func<ReadOnlySpan<byte>, T> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var (buffer, json) = _scratch.Value ?? throw new InvalidOperationException("Start was not called on this thread.");
        json.Flush();
        var result = copy(buffer.WrittenSpan);
        if (buffer.Capacity > KeptBytes)
        {
            _scratch.Value = null;
        }

        return result;
    }
}
