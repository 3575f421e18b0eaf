using BuildHooks.Core.Signing;

namespace BuildHooks.Core.Tests;

public class WebhookSecretTests
{
    [Fact]
    public void Generated_secret_is_whsec_and_a_32_byte_base64_key()
    {
        var secret = WebhookSecret.Generate();

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal(32, WebhookSecret.KeyBytes(secret).Length);
    }

    [Fact]
    public void Generated_secrets_differ()
    {
        var secrets = Enumerable.Range(0, 100).Select(_ => WebhookSecret.Generate()).ToHashSet();

        Assert.Equal(100, secrets.Count);
    }

    [Fact]
    public void Key_bytes_are_the_base64_after_the_prefix()
    {
        byte[] key = [0, 1, 2, 250, 251, 252, 253, 254, 255];

        Assert.Equal(key, WebhookSecret.KeyBytes("whsec_" + Convert.ToBase64String(key)));
        Assert.Equal(key, WebhookSecret.KeyBytes(Convert.ToBase64String(key)));
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("whsec_%%%")]
    public void Malformed_secret_has_no_key(string secret)
    {
        Assert.Throws<FormatException>(() => WebhookSecret.KeyBytes(secret));
    }
}
