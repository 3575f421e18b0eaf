namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// A setting the server cannot start with. Its message is the whole report, one line naming the key and what to set;
/// <see cref="BuildHooksApp.MainAsync"/> prints it and exits 1, without a stack trace.
/// </summary>
public sealed class BadSettingException(string message, Exception? inner = null) : Exception(message, inner);
