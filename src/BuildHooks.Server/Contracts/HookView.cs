using System.Text.Json.Serialization;
using BuildHooks.Core.Model;
using BuildHooks.Delivery.Sending;

namespace BuildHooks.Server.Contracts;

public sealed record HookView(
    long Id,
    long ProjectId,
    string Url,
    PayloadFormat Format,
    HookContentType ContentType,
    IReadOnlyList<HookTrigger> Triggers,
    IReadOnlyList<string> Branches,
    bool Enabled,
    int MaxAttempts,
    int TimeoutSeconds,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset CreatedAt,
    int ConsecutiveFailures,
    string? DisabledReason,
    DateTimeOffset? DisabledAt)
{
    /// <summary>The signing secret: shown once, when the hook is created.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    /// <summary>True when deliveries accept any TLS certificate from the receiver (self-signed, expired, wrong name).</summary>
    public bool AllowInsecureTls { get; init; }

    /// <summary>Set when the URL already resolves to an address deliveries may not reach.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Warning { get; init; }

    // An empty stored value (older versions accepted one) is shown empty: "[REDACTED]" would claim a credential is stored.
    public static HookView From(Hook h) => new(
        h.Id, h.ProjectId, h.Url, h.Format, h.ContentType, h.Triggers, h.Branches, h.Enabled, h.MaxAttempts,
        h.TimeoutSeconds, h.Headers.ToDictionary(e => e.Key, e => e.Value.Length == 0 ? "" : HeaderRedaction.Value(e.Key, e.Value)),
        h.CreatedAt, h.ConsecutiveFailures, h.DisabledReason, h.DisabledAt)
    {
        AllowInsecureTls = h.AllowInsecureTls,
    };
}
