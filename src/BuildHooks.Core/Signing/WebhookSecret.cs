using System.Security.Cryptography;

namespace BuildHooks.Core.Signing;

/// <summary>Signing secrets in the Standard Webhooks form: <c>whsec_</c> + base64 of 32 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int KeyLength = 32;

    public static string Generate()
    {
        Span<byte> key = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(key);
        var secret = Prefix + Convert.ToBase64String(key);
        CryptographicOperations.ZeroMemory(key);
        return secret;
    }

    /// <summary>The HMAC key of a secret: the base64 after <c>whsec_</c> (a secret without the prefix is read as bare base64).</summary>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static byte[] KeyBytes(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret.AsSpan(Prefix.Length) : secret.AsSpan();
        var decoded = new byte[(encoded.Length + 3) / 4 * 3];
        if (encoded.IsEmpty || !Convert.TryFromBase64Chars(encoded, decoded, out var written))
        {
            // The message names no part of the secret: it may end up in a log.
            throw new FormatException($"A webhook secret must be '{Prefix}' followed by a base64 key.");
        }

        if (written == decoded.Length)
        {
            return decoded;
        }

        var key = decoded[..written];
        CryptographicOperations.ZeroMemory(decoded);
        return key;
    }
}
