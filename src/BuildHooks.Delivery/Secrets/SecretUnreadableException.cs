namespace BuildHooks.Delivery.Secrets;

/// <summary>A stored hook secret could not be decrypted: the Data Protection keys that encrypted it are missing.</summary>
public sealed class SecretUnreadableException()
    : Exception("The hook's signing secret cannot be decrypted: the keys in the data directory's 'keys' folder are missing or were replaced. Rotate the hook's secret to sign again.");
