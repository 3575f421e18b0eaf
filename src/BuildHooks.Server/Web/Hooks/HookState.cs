using System.Globalization;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>What the hook page shows of a hook being on or off: the badge, the disabled banner, and the live stream's word for it.</summary>
public static class HookState
{
    /// <summary>Reasons a person gave; any other reason was the dispatcher's (410 Gone, repeated failure).</summary>
    private static readonly string[] ByHand = ["Disabled by a user.", "Created disabled."];

    /// <summary>"enabled", or "disabled" and when, as the page keeps it in the banner's data-state: each disabling is a new state.</summary>
    public static string Of(bool enabled, DateTimeOffset? disabledAt) =>
        enabled ? "enabled" : string.Create(CultureInfo.InvariantCulture, $"disabled {disabledAt?.ToUnixTimeMilliseconds()}");

    public static bool DisabledAutomatically(Hook hook) => !hook.Enabled && hook.DisabledReason is { } reason && !ByHand.Contains(reason);
}
