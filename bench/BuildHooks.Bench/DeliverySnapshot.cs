namespace BuildHooks.Bench;

/// <summary>The receiver's counts at the end of the run; latencies sorted ascending, in milliseconds.</summary>
public sealed record DeliverySnapshot(
    long Posts,
    long Unique,
    long Duplicates,
    long WithoutId,
    long Foreign,
    long LastReceiptTimestamp,
    double[] LatenciesMs,
    UnhealthyCounts Unhealthy)
{
    public long Received => Unique + WithoutId;

    /// <summary>Nearest-rank percentile, so that p100 is the real maximum and never an interpolation.</summary>
    public double Percentile(double p) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
}
