using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>
/// The words payloads use for enum values, spelled out so that renaming an enum member never changes what
/// receivers get.
/// </summary>
internal static class WireNames
{
    public static string Status(BuildStatus status) => status switch
    {
        BuildStatus.Running => "running",
        BuildStatus.Pass => "pass",
        BuildStatus.Fail => "fail",
        BuildStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Format(PayloadFormat format) => format switch
    {
        PayloadFormat.Magnum => "magnum",
        PayloadFormat.Shipio => "shipio",
        PayloadFormat.Standard => "standard",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string ContentType(HookContentType contentType) => contentType switch
    {
        HookContentType.Form => "form",
        HookContentType.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(contentType), contentType, null),
    };

    public static string Trigger(HookTrigger trigger) => trigger switch
    {
        HookTrigger.Pass => "pass",
        HookTrigger.Fail => "fail",
        HookTrigger.Error => "error",
        HookTrigger.Any => "any",
        HookTrigger.Fixed => "fixed",
        HookTrigger.Broken => "broken",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };
}
