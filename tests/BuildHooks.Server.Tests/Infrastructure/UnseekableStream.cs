namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A stream that cannot tell its length, so HttpClient sends it chunked, as a pipe from another process would be.</summary>
public sealed class UnseekableStream(byte[] content) : MemoryStream(content)
{
    public override bool CanSeek => false;
}
