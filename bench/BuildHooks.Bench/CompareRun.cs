namespace BuildHooks.Bench;

/// <summary>
/// One command, side by side: every sender gets the same receiver, the same builds and the same
/// payload shape, one after the other so they never share the cores; the raw flood runs last.
/// </summary>
public static class CompareRun
{
    public static async Task<int> RunAsync(BenchOptions options, HookReceiver receiver, CancellationToken ct)
    {
        var wanted = options.Senders;
        if (options.Postgres is null && wanted.Any(s => s is "postgres" or "hangfire"))
        {
            Console.Error.WriteLine("postgres and hangfire need a PostgreSQL server: pass --postgres or set BUILDHOOKS_BENCH_POSTGRES; running sqlite only");
            wanted = [.. wanted.Where(s => s == "sqlite")];
        }

        var server = options.ServerDll ?? (wanted.Any(s => s is "sqlite" or "postgres") ? await ServerBuild.BuildAsync(ct) : "");
        var results = new List<SenderResult>();
        var failed = false;
        for (var i = 0; i < wanted.Count; i++)
        {
            var name = wanted[i];
            if (i > 0)
            {
                await RestAsync(options, ct);
            }

            await using var database = name == "sqlite" ? null : await PostgresDatabase.CreateAsync(options.Postgres!, ct);
            var sender = name switch
            {
                "sqlite" => new Sender("BuildHooks, SQLite", server, new Dictionary<string, string>()),
                "postgres" => new Sender("BuildHooks, PostgreSQL", server, new Dictionary<string, string>
                {
                    ["BuildHooks__Database__Provider"] = "postgres",
                    ["ConnectionStrings__BuildHooks"] = database!.ConnectionString,
                }),
                _ => new Sender("Hangfire baseline", await ServerBuild.BuildAsync(Path.Combine("bench", "BuildHooks.Baseline.Hangfire"), "BuildHooks.Baseline.Hangfire.dll", ct),
                    new Dictionary<string, string> { ["ConnectionStrings__Hangfire"] = database!.ConnectionString }),
            };

            var result = await BenchRun.MeasureAsync(sender, options, receiver, ct);
            if (result is null)
            {
                failed = true;
                continue;
            }

            results.Add(result);
            ResultTable.Print(options, result, ceiling: null);
        }

        await RestAsync(options, ct);
        var ceiling = await BenchRun.MeasureCeilingAsync(options, receiver, results.Select(r => r.SampleBody).FirstOrDefault(b => b is not null), ct);
        CompareTable.Print(options, results, ceiling);
        return failed || results.Any(r => !r.Complete || r.Report.Failed > 0) ? 1 : 0;
    }

    /// <summary>
    /// On this VM a sender that started straight after another's full-load run spent more CPU per delivery and ran up
    /// to a fifth slower, though nothing else ran in between (PostgreSQL second: 7,027-7,616 deliveries/s without a
    /// rest, 8,875-9,031 after 20 s). The rest lets every measured part start alike, whatever the order.
    /// </summary>
    private static async Task RestAsync(BenchOptions options, CancellationToken ct)
    {
        if (options.Rest > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"resting {options.Rest.TotalSeconds:0} s so the next run starts on a rested machine...");
            await Task.Delay(options.Rest, ct);
        }
    }
}
