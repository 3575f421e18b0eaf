using System.Text.Json.Serialization;

namespace BuildHooks.Server.Contracts;

/// <summary>Body of POST /api/hooks/{hook_id}/recover: redeliver every failed delivery created since then.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecoverRequest(DateTimeOffset? Since);
