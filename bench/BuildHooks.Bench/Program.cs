using System.Runtime.InteropServices;
using BuildHooks.Bench;

if (ArtifactBench.Wants(args))
{
    // A mode of its own: memory while one large artifact goes up and down, not delivery throughput.
    return await ArtifactBench.RunAsync(args, CancellationToken.None);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Ctrl+C and SIGTERM cancel the run instead of ending the process at once, so that the server
// child is still stopped on the way out rather than left running as an orphan.
using var cancel = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

try
{
    // --pending measures memory with a backlog, not delivery: no receiver, no latency, a table of its own.
    return options.PendingDeliveries is not null
        ? await PendingBench.RunAsync(options, cancel.Token)
        : await BenchRun.RunAsync(options, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
