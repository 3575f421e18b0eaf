using BuildHooks.Server.Tests.Infrastructure;
using BuildHooks.Storage;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Server.Tests;

public sealed class WalSizeTests
{
    /// <summary>
    /// Under sustained writes a background PASSIVE checkpoint never quite catches up (new frames land while it copies),
    /// so SQLite never starts its log over and the -wal file grows for as long as the load lasts: 428 MB after a
    /// minute of the ingest bench. The checkpointer must bring it back to size while writes and reads go on, losing nothing.
    /// </summary>
    [SqliteOnlyFact("the write-ahead log is SQLite's file")]
    public async Task The_write_ahead_log_stays_bounded_under_sustained_writes_and_reads()
    {
        // Enough commits that a log never started over (some 80 MB) stands far from the bound below even when this
        // test shares the cores with the rest of the suite and the checkpointer's thread runs late (11.6 MB was seen
        // with 3,000 commits and a bound of 8 MB).
        const int commits = 6_000;
        const long truncateAtBytes = 1024 * 1024;
        var directory = Directory.CreateTempSubdirectory("buildhooks-wal-").FullName;
        var path = Path.Combine(directory, "wal.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL);";
            await create.ExecuteNonQueryAsync();
        }

        var database = new SqliteDatabase(connectionString, WriteGate.Serial(), truncateAtBytes);
        long largestWal = 0;
        using var stop = new CancellationTokenSource();
        // Short reads come and go the whole time, as the API's and the dispatcher's do.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var reader = await database.OpenAsync(CancellationToken.None);
                await using var latest = reader.CreateCommand();
                latest.CommandText = "SELECT length(body) FROM rows WHERE id = (SELECT max(id) FROM rows)";
                await latest.ExecuteScalarAsync();
                var size = WalBytes(path);
                lock (stop)
                {
                    largestWal = Math.Max(largestWal, size);
                }

                // Microsoft.Data.Sqlite's async calls complete synchronously; without a pause two readers would hold
                // both pool threads of this 2-core machine and starve the writer's continuations.
                await Task.Delay(1);
            }
        })).ToList();

        var body = new byte[6_000];
        for (var i = 0; i < commits; i++)
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO rows (body) VALUES ($body)";
                insert.Parameters.AddWithValue("$body", body);
                return await insert.ExecuteNonQueryAsync();
            }, CancellationToken.None);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        largestWal = Math.Max(largestWal, WalBytes(path));
        await database.DisposeAsync();

        // The commits write some 80 MB of log if it is never started over; emptied at 1 MB, it stays within a few.
        Assert.True(largestWal < 16 * 1024 * 1024, $"the write-ahead log grew to {largestWal / 1024 / 1024.0:F1} MB");
        await using var check = new SqliteConnection(connectionString);
        await check.OpenAsync();
        await using var total = check.CreateCommand();
        total.CommandText = "SELECT count(*) FROM rows";
        Assert.Equal(commits, Convert.ToInt32(await total.ExecuteScalarAsync()));
        SqliteConnection.ClearPool(check);
        await check.CloseAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static long WalBytes(string databasePath) =>
        new FileInfo(databasePath + "-wal") is { Exists: true } wal ? wal.Length : 0;
}
