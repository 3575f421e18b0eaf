namespace BuildHooks.Bench;

/// <summary>Attempts the receiver saw at hanging and failing hooks, and how many distinct deliveries they were for.</summary>
public sealed record UnhealthyCounts(long HangingAttempts, long HangingDeliveries, long FailingAttempts, long FailingDeliveries);
