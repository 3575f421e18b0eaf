using BuildHooks.Storage.Postgres;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// LISTENs on a dedicated connection and waits for NOTIFYs from the other nodes. After a lost connection
/// it reconnects and reports one notice, since deliveries may have been written while nobody listened.
/// </summary>
internal sealed partial class PostgresDueNotifications(PostgresDatabase database, ILogger<PostgresDueNotifications> logger) : IDueNotifications
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    public async Task ListenAsync(Action due, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                connection.Notification += (_, _) => due();
                await Pg.ExecuteAsync(connection, null, $"LISTEN {PostgresDatabase.DueChannel}", cancellationToken);
                due();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(e);
                await Task.Delay(Reconnect, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task NotifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresDatabase.NotifyDueAsync(connection, cancellationToken);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Listening for other nodes' deliveries failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);
}
