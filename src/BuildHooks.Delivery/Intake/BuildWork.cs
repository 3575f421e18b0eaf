using BuildHooks.Core.Model;

namespace BuildHooks.Delivery.Intake;

/// <summary>A build to record (a new report, or a running build finishing), waiting for its batch to commit.</summary>
public sealed class BuildWork(Build build, Func<Build, string> buildUrl, bool finishing, int? requestedNumber = null)
{
    public Build Build => build;
    public Func<Build, string> BuildUrl => buildUrl;

    /// <summary>True when a running build finishes; false for a new report.</summary>
    public bool Finishing => finishing;

    public int? RequestedNumber => requestedNumber;

    /// <summary>The files uploaded while the build ran; read only when a running build finishes, so new reports cost nothing.</summary>
    public IReadOnlyList<ArtifactLink> Artifacts { get; init; } = [];

    /// <summary>With <see cref="BuildOutcome.KeyTaken"/>: the build recorded earlier with the report's Idempotency-Key.</summary>
    public long? KeyedBuildId { get; internal set; }

    /// <summary>The deliveries the build caused, one per matching hook, once it is recorded.</summary>
    public int Deliveries { get; internal set; }

    internal TaskCompletionSource<BuildOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
