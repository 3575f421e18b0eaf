namespace BuildHooks.Delivery.Intake;

public enum BuildOutcome
{
    Recorded,
    /// <summary>The build's project does not exist.</summary>
    ProjectMissing,
    /// <summary>The report named a build number the project already has.</summary>
    NumberTaken,
    /// <summary>The build was no longer running when asked to finish.</summary>
    AlreadyFinished,
    /// <summary>The project already has a build with the report's Idempotency-Key (<see cref="BuildWork.KeyedBuildId"/>); nothing was recorded.</summary>
    KeyTaken,
}
