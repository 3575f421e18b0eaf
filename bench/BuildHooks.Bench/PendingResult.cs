namespace BuildHooks.Bench;

/// <summary>
/// A --pending run: how the backlog was made, what the server's resident memory did while it held it, and
/// what one hook's delivery list and the hooks' state said at the end.
/// </summary>
public sealed record PendingResult(
    ReportResult Fill,
    int ReportConcurrency,
    Uri Target,
    TimeSpan Settle,
    long? RssBeforeFill,
    long? RssAfterFill,
    IReadOnlyList<long> SettleSamples,
    long? RssAtEnd,
    ServerStats Stats,
    PendingCheck Check,
    int HooksDisabled,
    string? FirstDisabledReason);
