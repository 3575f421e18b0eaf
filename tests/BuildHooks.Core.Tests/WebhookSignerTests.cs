using System.Security.Cryptography;
using System.Text;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;
using BuildHooks.Core.Signing;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace BuildHooks.Core.Tests;

public class WebhookSignerTests
{
    private const string WebhookId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    private static byte[] Body()
    {
        var e = Seeds.ShipIoEvent(HookContentType.Json);
        e.Hook.Format = PayloadFormat.Standard;
        e.Build.Author = "José Núñez";
        return PayloadRenderer.Render(e, DateTimeOffset.UtcNow).Body;
    }

    private static HeaderDictionary Headers(string signature, long timestamp)
    {
        var options = WebhookConfigurationOptions.StandardWebhooks;
        return new HeaderDictionary
        {
            [options.IdHeaderKey] = WebhookId,
            [options.TimestampHeaderKey] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [options.SignatureHeaderKey] = signature,
        };
    }

    [Fact]
    public void Standard_signature_is_verified_by_the_standard_webhooks_library()
    {
        var secret = WebhookSecret.Generate();
        var body = Body();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = WebhookSigner.StandardSignature(WebhookId, timestamp, body, [secret]);

        new StandardWebhook(secret).Verify(Encoding.UTF8.GetString(body), Headers(signature, timestamp));
        Assert.Equal(new StandardWebhook(secret).Sign(WebhookId, DateTimeOffset.FromUnixTimeSeconds(timestamp), Encoding.UTF8.GetString(body)), signature);
    }

    [Fact]
    public void Both_secrets_verify_while_a_secret_rotates()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();
        var body = Body();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = WebhookSigner.StandardSignature(WebhookId, timestamp, body, [oldSecret, newSecret]);

        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.All(parts, part => Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", part));
        var payload = Encoding.UTF8.GetString(body);
        new StandardWebhook(oldSecret).Verify(payload, Headers(signature, timestamp));

        // StandardWebhooks 1.1.2 stops after the first entry of a multi-signature header (its loop ends once no
        // space is left), so the new secret's entry is handed to it first rather than left unchecked.
        new StandardWebhook(newSecret).Verify(payload, Headers($"{parts[1]} {parts[0]}", timestamp));
        Assert.Equal(new StandardWebhook(newSecret).Sign(WebhookId, DateTimeOffset.FromUnixTimeSeconds(timestamp), payload), parts[1]);
    }

    [Fact]
    public void Signature_does_not_verify_with_another_secret()
    {
        var body = Body();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = WebhookSigner.StandardSignature(WebhookId, timestamp, body, [WebhookSecret.Generate()]);

        Assert.Throws<WebhookVerificationException>(
            () => new StandardWebhook(WebhookSecret.Generate()).Verify(Encoding.UTF8.GetString(body), Headers(signature, timestamp)));
    }

    [Fact]
    public void Signature_does_not_verify_a_changed_body()
    {
        var secret = WebhookSecret.Generate();
        var body = Body();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = WebhookSigner.StandardSignature(WebhookId, timestamp, body, [secret]);
        var tampered = Encoding.UTF8.GetString(body).Replace("\"pass\"", "\"fail\"", StringComparison.Ordinal);

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(tampered, Headers(signature, timestamp)));
    }

    [Fact]
    public void Standard_signature_matches_an_independent_hmac_of_id_timestamp_and_body()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var secret = "whsec_" + Convert.ToBase64String(key);
        var body = "{\"type\":\"build.finished\"}"u8.ToArray();

        var signature = WebhookSigner.StandardSignature("msg_1", 1714560000, body, [secret]);

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("msg_1.1714560000.{\"type\":\"build.finished\"}"));
        Assert.Equal("v1," + Convert.ToBase64String(expected), signature);
    }

    /// <summary>
    /// Signing keeps a keyed HMAC context per thread and secret, so a kept context must never sign with another secret's key
    /// or carry part of an earlier message: many secrets in turn, more than a thread keeps, each match an independent HMAC.
    /// </summary>
    [Fact]
    public void Signatures_over_many_secrets_in_turn_each_match_an_independent_hmac()
    {
        var secrets = Enumerable.Range(0, 300).Select(_ => WebhookSecret.Generate()).ToList();
        // 40 hooks signed for in turn, three times over (their contexts reused); then 300, more than a thread keeps; then the 40 again.
        var order = Enumerable.Repeat(Enumerable.Range(0, 40), 3).SelectMany(i => i).Concat(Enumerable.Range(0, 300)).Concat(Enumerable.Range(0, 40));
        var round = 0;
        foreach (var i in order)
        {
            round++;
            var body = Encoding.UTF8.GetBytes($"{{\"hook\":{i},\"round\":{round}}}");
            var signed = Encoding.UTF8.GetBytes($"msg_{i}.{round}.").Concat(body).ToArray();

            Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.KeyBytes(secrets[i]), signed)),
                WebhookSigner.StandardSignature($"msg_{i}", round, body, [secrets[i]]));
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets[i]), body)),
                WebhookSigner.GitHubSignature(body, secrets[i]));
        }
    }

    [Fact]
    public void Signing_without_a_secret_is_refused()
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.StandardSignature(WebhookId, 1, "{}"u8, []));
    }

    [Fact]
    public void Malformed_secret_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<FormatException>(() => WebhookSigner.StandardSignature(WebhookId, 1, "{}"u8, ["whsec_not base64!"]));

        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GitHub_signature_matches_githubs_documented_example()
    {
        // From GitHub's "Validating webhook deliveries" documentation.
        var signature = WebhookSigner.GitHubSignature("Hello, World!"u8, "It's a Secret to Everybody");

        Assert.Equal("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", signature);
    }

    [Fact]
    public void GitHub_signature_is_keyed_with_the_whole_secret_string()
    {
        var secret = WebhookSecret.Generate();
        var body = Body();

        var signature = WebhookSigner.GitHubSignature(body, secret);

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(body)).ToLowerInvariant();
        Assert.Equal(expected, signature);
    }
}
