using System.Security.Cryptography;

namespace BuildHooks.Cli.Artifacts;

/// <summary>A file being uploaded: reports how far the upload has read and hashes what it sends, to compare with the server's SHA-256.</summary>
public sealed class ProgressStream(Stream inner, Action<long> progress) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _sent;
    private string? _final;

    /// <summary>The SHA-256 of what was read; still there after HttpClient has disposed the stream with its request.</summary>
    public string Sha256() => _final ?? Convert.ToHexStringLower(_sha.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Account(buffer.AsSpan(offset, read));
        return read;
    }

    private void Account(ReadOnlySpan<byte> chunk)
    {
        _sha.AppendData(chunk);
        _sent += chunk.Length;
        progress(_sent);
    }

    // Seekable so that HttpClient can send a Content-Length and the server can refuse an oversize file at once.
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException("An upload is read once, from the start.");
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An upload is read once, from the start.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _final is null)
        {
            _final = Convert.ToHexStringLower(_sha.GetHashAndReset());
            _sha.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
