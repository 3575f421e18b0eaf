namespace BuildHooks.Core.Model;

/// <summary>A webhook of a project: where to send finished builds, in which format, and when.</summary>
public sealed class Hook
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Url { get; set; }
    public PayloadFormat Format { get; set; } = PayloadFormat.Magnum;
    public HookContentType ContentType { get; set; } = HookContentType.Form;
    public List<HookTrigger> Triggers { get; set; } = [HookTrigger.Any];

    /// <summary>Branch globs such as <c>release/*</c>; empty means every branch.</summary>
    public List<string> Branches { get; set; } = [];

    public bool Enabled { get; set; } = true;

    /// <summary>1 gives Magnum's one-time delivery.</summary>
    public int MaxAttempts { get; set; } = RetryPolicy.DefaultMaxAttempts;

    public int TimeoutSeconds { get; set; } = 15;
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Accept any TLS certificate (self-signed, expired, wrong name); off unless the user asks for it.</summary>
    public bool AllowInsecureTls { get; set; }

    /// <summary>
    /// The signing secret (<c>whsec_</c> + base64 key) in its protected form, as stored; shown in plain once,
    /// on creation or rotation. A value that still starts with <c>whsec_</c> was written before encryption.
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation (protected), still signing until <see cref="PreviousSecretExpiresAtMs"/>.</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>Unix milliseconds when <see cref="PreviousSecret"/> stops signing (compared on the delivery hot path).</summary>
    public long? PreviousSecretExpiresAtMs { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Deliveries that failed for good in a row; reset by a success or by re-enabling.</summary>
    public int ConsecutiveFailures { get; set; }

    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
}
