namespace BuildHooks.Core.Model;

/// <summary>What started an attempt.</summary>
public enum AttemptTrigger
{
    Scheduled,
    Manual,
    Test,
}
