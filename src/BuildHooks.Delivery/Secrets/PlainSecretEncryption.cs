using BuildHooks.Storage.Hooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Delivery.Secrets;

/// <summary>
/// At start-up, encrypts hook secrets left in plain text by a version before encryption, so that an
/// upgraded database holds no readable secret. Until then (and if this fails) they still sign: see
/// <see cref="SecretProtector.Unprotect"/>.
/// </summary>
public sealed partial class PlainSecretEncryption(PlainSecrets plain, SecretProtector secrets, ILogger<PlainSecretEncryption> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var encrypted = await plain.EncryptAsync(secrets.Protect, cancellationToken);
        if (encrypted > 0)
        {
            LogEncrypted(encrypted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Encrypted {Count} hook secrets stored in plain text by an earlier version")]
    private partial void LogEncrypted(int count);
}
