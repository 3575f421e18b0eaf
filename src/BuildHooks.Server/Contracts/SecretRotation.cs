namespace BuildHooks.Server.Contracts;

/// <summary>The new signing secret (shown once, here) and when the previous one stops signing (null when it could not be read).</summary>
public sealed record SecretRotation(string Secret, DateTimeOffset? PreviousSecretExpiresAt);
