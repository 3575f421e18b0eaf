using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

/// <summary>A build as the API shows it; <c>idempotency_key</c> is the reporter's own name for it (its CI job, say), when it gave one.</summary>
public sealed record BuildView(
    long Id,
    Guid Uuid,
    long ProjectId,
    int Number,
    BuildStatus Status,
    int? Result,
    string Commit,
    string Author,
    string Committer,
    string Message,
    string Branch,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? CommitUrl,
    string? CompareUrl,
    string? IdempotencyKey,
    string BuildUrl,
    int Deliveries)
{
    public static BuildView From(Build b, string buildUrl, int deliveries) => new(
        b.Id, b.Uuid, b.ProjectId, b.Number, b.Status, b.Result, b.Commit, b.Author, b.Committer, b.Message, b.Branch,
        b.StartedAt, b.FinishedAt, b.CommitUrl, b.CompareUrl, b.IdempotencyKey, buildUrl, deliveries);
}
