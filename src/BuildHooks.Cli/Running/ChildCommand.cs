using System.ComponentModel;
using System.Diagnostics;

namespace BuildHooks.Cli.Running;

/// <summary>Runs the wrapped build command with the terminal's own standard streams, so its output passes through live and unchanged.</summary>
public static class ChildCommand
{
    public static async Task<CommandOutcome> RunAsync(IReadOnlyList<string> command, string workingDirectory, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            return new CommandOutcome(ExitCodes.CannotStart, null, $"cannot start '{command[0]}': {e.Message}", clock.Elapsed);
        }

        using (process)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (timeout is { } t)
            {
                limit.CancelAfter(t);
            }

            try
            {
                await process.WaitForExitAsync(limit.Token);
                return new CommandOutcome(process.ExitCode, process.ExitCode, null, clock.Elapsed);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                var elapsed = clock.Elapsed;
                return cancellationToken.IsCancellationRequested
                    ? new CommandOutcome(130, null, "interrupted", elapsed)
                    : new CommandOutcome(ExitCodes.TimedOut, null, $"killed after the {timeout!.Value.TotalSeconds:0} s timeout", elapsed);
            }
        }
    }
}
