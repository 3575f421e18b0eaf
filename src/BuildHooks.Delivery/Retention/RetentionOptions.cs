namespace BuildHooks.Delivery.Retention;

/// <summary>Settings under <c>BuildHooks:Retention</c>: how long finished deliveries and their attempts are kept.</summary>
public sealed class RetentionOptions
{
    public const string Section = "BuildHooks:Retention";

    /// <summary>Days a finished delivery is kept after it finished; 0 keeps everything.</summary>
    public int Days { get; set; } = 30;

    /// <summary>The same as <see cref="Days"/> in any unit (<c>00:00:05</c>); wins when set.</summary>
    public TimeSpan? Age { get; set; }

    /// <summary>How often old deliveries are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries deleted per write transaction.</summary>
    public int BatchSize { get; set; } = 500;

    public TimeSpan? EffectiveAge => Age ?? (Days > 0 ? TimeSpan.FromDays(Days) : null);
}
