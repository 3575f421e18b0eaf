namespace BuildHooks.Bench;

/// <summary>One hook's delivery list read back at the end of a --pending run: the backlog as the server itself reports it.</summary>
public sealed record PendingCheck(string HookId, long Pending, long Held, long Attempts);
