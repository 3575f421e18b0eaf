namespace BuildHooks.Server.Contracts;

/// <summary>What the receiver answered to a test delivery.</summary>
public sealed record TestResult(long DeliveryId, bool Succeeded, int? StatusCode, int DurationMs, string? ResponseBody, string? Error);
