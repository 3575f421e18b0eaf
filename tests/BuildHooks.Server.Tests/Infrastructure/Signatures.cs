using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>Checks a received delivery the way a receiver does, with the Standard Webhooks library.</summary>
public static class Signatures
{
    /// <summary>The entries of <c>webhook-signature</c>, in the order sent.</summary>
    public static string[] Entries(this ReceivedRequest request) => request.Headers["webhook-signature"].Split(' ');

    /// <summary>
    /// Verifies with <paramref name="secret"/> against the entry at <paramref name="index"/>: StandardWebhooks 1.1.2
    /// checks only the first entry of the header, so the entry is moved to the front as a receiver holding that secret
    /// would find it.
    /// </summary>
    public static void Verify(this ReceivedRequest request, string secret, int index = 0)
    {
        var entries = request.Entries().ToList();
        var entry = entries[index];
        entries.RemoveAt(index);
        entries.Insert(0, entry);
        new StandardWebhook(secret).Verify(request.BodyText, new HeaderDictionary
        {
            ["webhook-id"] = request.Headers["webhook-id"],
            ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
            ["webhook-signature"] = string.Join(' ', entries),
        });
    }

    /// <summary>The <c>X-Hub-Signature-256</c> a GitHub-style receiver computes with <paramref name="secret"/>.</summary>
    public static string GitHubSignature(this ReceivedRequest request, string secret)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(secret));
        return "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(request.Body));
    }
}
