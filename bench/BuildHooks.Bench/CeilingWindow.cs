namespace BuildHooks.Bench;

/// <summary>Counts only the requests that complete inside the measured window, so warm-up and stragglers do not skew the rate.</summary>
public sealed class CeilingWindow(long start, long length)
{
    private long _requests;
    private long _errors;

    public long End { get; } = start + length;
    public long Requests => Interlocked.Read(ref _requests);
    public long Errors => Interlocked.Read(ref _errors);

    public void Count(long completedAt, bool ok)
    {
        if (completedAt < start || completedAt > End)
        {
            return;
        }

        Interlocked.Increment(ref ok ? ref _requests : ref _errors);
    }
}
