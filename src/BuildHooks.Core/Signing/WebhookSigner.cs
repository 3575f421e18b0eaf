using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BuildHooks.Core.Signing;

/// <summary>Signs a delivery the Standard Webhooks way (several secrets while one rotates) and the GitHub way.</summary>
public static class WebhookSigner
{
    public const string StandardVersion = "v1";
    public const string GitHubPrefix = "sha256=";

    private const int HashLength = HMACSHA256.HashSizeInBytes;

    // "v1," + base64 of a 32-byte hash.
    private const int StandardSignatureLength = 3 + ((HashLength + 2) / 3 * 4);

    private const int StackLimit = 256;

    /// <summary>
    /// The <c>webhook-signature</c> header of Standard Webhooks: one <c>v1,</c> signature per secret, separated by
    /// spaces, so that a receiver holding either the old or the new secret verifies while a secret rotates.
    /// </summary>
    public static string StandardSignature(string webhookId, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        ArgumentNullException.ThrowIfNull(secrets);
        if (!secrets.TryGetNonEnumeratedCount(out var count))
        {
            secrets = [.. secrets];
            count = secrets.Count();
        }

        if (count == 0)
        {
            throw new ArgumentException("At least one secret is needed to sign.", nameof(secrets));
        }

        var message = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(webhookId.Length) + 22 + body.Length);
        var outputLength = (count * (StandardSignatureLength + 1)) - 1;
        char[]? rentedOutput = null;
        var output = outputLength <= StackLimit
            ? stackalloc char[StackLimit]
            : (rentedOutput = ArrayPool<char>.Shared.Rent(outputLength));
        try
        {
            var signed = SignedContent(webhookId, timestamp, body, message);
            Span<byte> hash = stackalloc byte[HashLength];
            var position = 0;
            foreach (var secret in secrets)
            {
                if (position > 0)
                {
                    output[position++] = ' ';
                }

                KeptHmac.Compute(secret, KeptHmac.KeyForm.Standard, signed, hash);
                StandardVersion.CopyTo(output[position..]);
                position += StandardVersion.Length;
                output[position++] = ',';
                Convert.TryToBase64Chars(hash, output[position..], out var written);
                position += written;
            }

            return new string(output[..position]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
            if (rentedOutput is not null)
            {
                ArrayPool<char>.Shared.Return(rentedOutput);
            }
        }
    }

    /// <summary>
    /// The <c>X-Hub-Signature-256</c> header as GitHub sends it: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of
    /// the body, keyed with the UTF-8 bytes of the whole secret string (what a GitHub-style receiver computes).
    /// </summary>
    public static string GitHubSignature(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> hash = stackalloc byte[HashLength];
        KeptHmac.Compute(secret, KeptHmac.KeyForm.GitHub, body, hash);

        Span<char> header = stackalloc char[GitHubPrefix.Length + (2 * HashLength)];
        GitHubPrefix.CopyTo(header);
        Convert.TryToHexStringLower(hash, header[GitHubPrefix.Length..], out _);
        return new string(header);
    }

    // The signed content of Standard Webhooks: "{id}.{timestamp}.{body}".
    private static ReadOnlySpan<byte> SignedContent(string webhookId, long timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetBytes(webhookId, destination);
        destination[length++] = (byte)'.';
        timestamp.TryFormat(destination[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        destination[length++] = (byte)'.';
        body.CopyTo(destination[length..]);
        return destination[..(length + body.Length)];
    }
}
