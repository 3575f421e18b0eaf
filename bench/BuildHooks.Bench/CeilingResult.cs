namespace BuildHooks.Bench;

/// <summary>How fast a plain pooled HttpClient can push one payload through the receiver.</summary>
public sealed record CeilingResult(long Requests, long Errors, TimeSpan Duration, int Concurrency, int PayloadBytes, bool RealPayload)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
}
