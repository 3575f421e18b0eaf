using BuildHooks.Core.Signing;
using BuildHooks.Delivery.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace BuildHooks.Delivery.Tests.Sending;

public sealed class SecretProtectorTests
{
    private readonly SecretProtector _protector = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_protected_secret_reads_back_and_does_not_contain_the_secret()
    {
        var secret = WebhookSecret.Generate();

        var stored = _protector.Protect(secret);

        Assert.DoesNotContain(secret[WebhookSecret.Prefix.Length..], stored, StringComparison.Ordinal);
        Assert.Equal(secret, _protector.Unprotect(stored));
        Assert.Equal(secret, _protector.Unprotect(stored));
    }

    [Fact]
    public void A_plain_secret_from_before_encryption_is_read_as_it_is()
    {
        var legacy = WebhookSecret.Generate();

        Assert.Equal(legacy, _protector.Unprotect(legacy));
    }

    [Fact]
    public void A_secret_protected_with_lost_keys_is_refused_without_echoing_it()
    {
        var stored = new SecretProtector(new EphemeralDataProtectionProvider()).Protect(WebhookSecret.Generate());

        var error = Assert.Throws<SecretUnreadableException>(() => _protector.Unprotect(stored));

        Assert.DoesNotContain(stored, error.Message, StringComparison.Ordinal);
        Assert.Contains("keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_previous_secret_signs_second_until_it_expires()
    {
        var current = WebhookSecret.Generate();
        var previous = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddSeconds(1).ToUnixTimeMilliseconds();

        Assert.Equal([current, previous], _protector.ForSigning(_protector.Protect(current), _protector.Protect(previous), expires, now));
        Assert.Equal([current], _protector.ForSigning(_protector.Protect(current), _protector.Protect(previous), expires, now.AddSeconds(1)));
        Assert.Equal([current], _protector.ForSigning(_protector.Protect(current), null, null, now));
    }
}
