namespace BuildHooks.Server.Contracts;

public sealed record RecoverResult(int Redelivered);
