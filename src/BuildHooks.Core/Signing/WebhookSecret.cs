namespace BuildHooks.Core.Signing;

/// <summary>CONTRACT.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public static string Generate() => throw new NotImplementedException();
}
