using System.Text;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

public sealed record DeliveryView(
    long Id,
    string WebhookId,
    long HookId,
    long? BuildId,
    DeliveryKind Kind,
    DeliveryStatus Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int? LastStatusCode,
    string? LastError,
    string ContentType,
    string? Payload,
    IReadOnlyList<AttemptView>? Attempts)
{
    public static DeliveryView From(BuildHooks.Core.Model.Delivery d, bool withPayload, IReadOnlyList<AttemptView>? attempts = null) => new(
        d.Id, d.WebhookId, d.HookId, d.BuildId, d.Kind, d.Status, d.AttemptCount,
        d.Status is DeliveryStatus.Pending or DeliveryStatus.Held ? DateTimeOffset.FromUnixTimeMilliseconds(d.NextAttemptAtMs) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs),
        d.CompletedAtMs is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
        d.LastStatusCode, d.LastError, d.ContentType,
        withPayload ? Encoding.UTF8.GetString(d.Payload) : null, attempts);
}
