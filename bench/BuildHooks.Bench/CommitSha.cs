using System.Buffers.Text;
using System.Security.Cryptography;

namespace BuildHooks.Bench;

/// <summary>
/// Unique 40-hex commit shas that carry the build's index: a random 24-hex run prefix and the
/// index as 16 hex digits. The receiver decodes the index straight from the payload's bytes, so
/// matching a delivery to its report time is an array lookup instead of a dictionary of strings,
/// and a delivery from some earlier run is recognised as foreign.
/// </summary>
public sealed class CommitSha
{
    public const int Length = 40;
    private const int PrefixLength = 24;

    private readonly byte[] _prefix;

    public CommitSha()
    {
        _prefix = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2)));
    }

    public string For(long index) => string.Create(Length, (_prefix, index), static (span, state) =>
    {
        for (var i = 0; i < PrefixLength; i++)
        {
            span[i] = (char)state._prefix[i];
        }

        state.index.TryFormat(span[PrefixLength..], out _, "x16");
    });

    /// <returns>The build index, or -1 when the sha is not one of this run's.</returns>
    public long IndexOf(ReadOnlySpan<byte> sha)
    {
        if (sha.Length != Length || !sha[..PrefixLength].SequenceEqual(_prefix))
        {
            return -1;
        }

        return Utf8Parser.TryParse(sha[PrefixLength..], out long index, out var consumed, 'x') && consumed == Length - PrefixLength
            ? index
            : -1;
    }
}
