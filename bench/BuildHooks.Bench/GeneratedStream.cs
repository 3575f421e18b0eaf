using System.Security.Cryptography;

namespace BuildHooks.Bench;

/// <summary>A read-once stream of <c>length</c> pseudo-random bytes made as they are read and hashed on the way, so a huge upload needs no file and no memory.</summary>
public sealed class GeneratedStream(long length) : Stream
{
    private readonly Random _random = new(42);
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private string? _final;

    public string Sha256() => _final ??= Convert.ToHexStringLower(_sha.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        _random.NextBytes(buffer[..n]);
        _sha.AppendData(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    // Seekable in name only, so that HttpClient sends a Content-Length as a real file upload would.
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Sha256();
            _sha.Dispose();
        }

        base.Dispose(disposing);
    }
}
