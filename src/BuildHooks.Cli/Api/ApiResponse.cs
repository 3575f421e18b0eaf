using System.Text.Json;

namespace BuildHooks.Cli.Api;

/// <summary>
/// A successful answer: the raw JSON (for --json) and its parsed form (for tables). <paramref name="Replayed"/>: the server
/// said (Idempotent-Replayed) that it already had what an Idempotency-Key'd request asked, and did nothing again.
/// </summary>
public sealed record ApiResponse(int StatusCode, string Body, bool Replayed = false)
{
    public JsonElement Json => Body.Length == 0 ? default : JsonDocument.Parse(Body).RootElement.Clone();
}
