using System.Collections.Concurrent;
using System.Security.Cryptography;
using BuildHooks.Core.Signing;
using Microsoft.AspNetCore.DataProtection;

namespace BuildHooks.Delivery.Secrets;

/// <summary>
/// Encrypts hook secrets for the database with ASP.NET Core Data Protection and decrypts them where a
/// delivery is signed. Decrypted secrets are cached by their stored form (which changes on every
/// rotation), so the delivery path pays for one decryption per secret, not per attempt.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private const string Purpose = "BuildHooks.HookSecret.v1";
    private const int MaxCached = 10_000;

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);
    private readonly ConcurrentDictionary<string, string> _plain = new(StringComparer.Ordinal);

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The plain secret of a stored one; a stored <c>whsec_</c> value predates encryption and is read as it is.</summary>
    /// <exception cref="SecretUnreadableException">The keys that protected it are gone or changed.</exception>
    public string Unprotect(string stored)
    {
        if (stored.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            return stored;
        }

        if (_plain.TryGetValue(stored, out var secret))
        {
            return secret;
        }

        try
        {
            secret = _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            // The exception names nothing secret, but a plain sentence says what to do.
            throw new SecretUnreadableException();
        }

        if (_plain.Count >= MaxCached)
        {
            _plain.Clear();
        }

        _plain[stored] = secret;
        return secret;
    }

    /// <summary>
    /// The secrets a delivery is signed with now: the current one first (it also keys <c>X-Hub-Signature-256</c>),
    /// then the one before the last rotation while its overlap lasts.
    /// </summary>
    public IReadOnlyList<string> ForSigning(string secret, string? previousSecret, long? previousExpiresAtMs, DateTimeOffset now) =>
        previousSecret is not null && previousExpiresAtMs > now.ToUnixTimeMilliseconds()
            ? [Unprotect(secret), Unprotect(previousSecret)]
            : [Unprotect(secret)];
}
