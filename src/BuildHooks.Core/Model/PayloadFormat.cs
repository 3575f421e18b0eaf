namespace BuildHooks.Core.Model;

/// <summary>The body layout a receiver expects.</summary>
public enum PayloadFormat
{
    /// <summary>Magnum CI project hooks: a flat build object.</summary>
    Magnum,
    /// <summary>Ship.io job webhooks: <c>{build, job}</c>.</summary>
    Shipio,
    /// <summary>A Standard Webhooks envelope with everything BuildHooks knows.</summary>
    Standard,
}
