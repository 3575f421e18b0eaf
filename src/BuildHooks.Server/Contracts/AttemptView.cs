using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

public sealed record AttemptView(
    long Id,
    int Number,
    AttemptTrigger Trigger,
    DateTimeOffset StartedAt,
    string Url,
    IReadOnlyDictionary<string, string> RequestHeaders,
    bool Succeeded,
    int? StatusCode,
    IReadOnlyDictionary<string, string>? ResponseHeaders,
    string? ResponseBody,
    int DurationMs,
    string? Error)
{
    public static AttemptView From(Attempt a) => new(
        a.Id, a.Number, a.Trigger, DateTimeOffset.FromUnixTimeMilliseconds(a.StartedAtMs), a.Url,
        Headers(a.RequestHeaders) ?? new Dictionary<string, string>(), a.Succeeded, a.StatusCode,
        Headers(a.ResponseHeaders), a.ResponseBody, a.DurationMs, a.Error);

    private static Dictionary<string, string>? Headers(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
}
