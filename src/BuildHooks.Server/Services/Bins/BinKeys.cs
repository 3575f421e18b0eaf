using System.Buffers.Text;
using System.Security.Cryptography;

namespace BuildHooks.Server.Services.Bins;

/// <summary>
/// Bin keys such as <c>Hk3v0GKpZ8ZkjjQx9aLm2w</c>: 16 random bytes, URL-safe base64. Anyone holding the capture
/// URL can write to the bin without a token, so the key is what keeps strangers out, and must not be guessable.
/// </summary>
public static class BinKeys
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Cheap rejection of what can never be a key, before any database look-up.</summary>
    public static bool LooksValid(string key) =>
        key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
