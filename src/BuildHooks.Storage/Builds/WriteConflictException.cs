namespace BuildHooks.Storage.Builds;

/// <summary>
/// A batch was rolled back because what the node remembered of its projects no longer held (another node or an API
/// edit changed them). Nothing of it was written; writing the same reports again reads the projects afresh.
/// </summary>
public sealed class WriteConflictException(string message, Exception inner) : Exception(message, inner);
