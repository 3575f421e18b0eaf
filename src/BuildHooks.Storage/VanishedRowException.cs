namespace BuildHooks.Storage;

/// <summary>A write found a row it refers to deleted by another request meanwhile (see <see cref="VanishedRow"/>).</summary>
public sealed class VanishedRowException(string message) : Exception(message);
