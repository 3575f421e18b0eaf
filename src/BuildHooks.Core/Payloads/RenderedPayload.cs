namespace BuildHooks.Core.Payloads;

/// <summary>The frozen bytes of a delivery and the Content-Type they travel with.</summary>
public sealed record RenderedPayload(byte[] Body, string ContentType);
