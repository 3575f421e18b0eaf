using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BuildHooks.Server.Auth;

/// <summary>Tokens are random, so a plain SHA-256 is a safe stored form (no salt or slow hash needed).</summary>
public static class TokenHash
{
    public static byte[] Of(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string Hex(string token) => Convert.ToHexStringLower(Of(token));

    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
