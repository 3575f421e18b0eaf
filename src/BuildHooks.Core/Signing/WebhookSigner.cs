namespace BuildHooks.Core.Signing;

/// <summary>CONTRACT.</summary>
public static class WebhookSigner
{
    public static string StandardSignature(string webhookId, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets) => throw new NotImplementedException();
    public static string GitHubSignature(ReadOnlySpan<byte> body, string secret) => throw new NotImplementedException();
}
