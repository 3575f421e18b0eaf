using System.Text.Json;

namespace BuildHooks.Cli.Api;

/// <summary>A successful answer: the raw JSON (for --json) and its parsed form (for tables).</summary>
public sealed record ApiResponse(int StatusCode, string Body)
{
    public JsonElement Json => Body.Length == 0 ? default : JsonDocument.Parse(Body).RootElement.Clone();
}
