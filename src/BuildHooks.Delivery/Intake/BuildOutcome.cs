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
}
