using System.Diagnostics;
using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>
/// Watches the CPU a sender's runtime spends on its background tiered JIT, the thread that recompiles hot methods
/// with full optimisation. A warm-up that stops while that thread is still busy measures start-up, not the steady
/// state: on a slow day it was a third of a PostgreSQL node's CPU in the measured phase. Read from /proc, where
/// the runtime names the thread ".NET Tiered Com…"; where /proc is not there, <see cref="Watch"/> gives null and
/// the warm-up keeps its plain limits. Hand-written because no package reads another process's threads by name.
/// </summary>
public sealed class TieredJit
{
    /// <summary>Linux counts thread CPU in clock ticks of 1/100 s (USER_HZ) on every mainstream architecture.</summary>
    private const double TicksPerSecond = 100;

    private readonly string _tasks;
    private readonly Lock _lock = new();

    /// <summary>The last count seen of every JIT thread, kept after it exits: the runtime ends an idle one and starts another later.</summary>
    private readonly Dictionary<string, long> _ticksByThread = [];

    private readonly Queue<(long Timestamp, long Ticks)> _samples = new();

    private TieredJit(string tasks) => _tasks = tasks;

    /// <summary>A watcher of <paramref name="processId"/>, or null where its threads cannot be read.</summary>
    public static TieredJit? Watch(int processId)
    {
        var tasks = $"/proc/{processId}/task";
        return Directory.Exists(tasks) ? new TieredJit(tasks) : null;
    }

    /// <summary>The JIT thread's CPU so far (of the threads seen by now), and a sample for <see cref="QuietFor"/>.</summary>
    public TimeSpan Sample()
    {
        lock (_lock)
        {
            foreach (var task in SafeDirectories(_tasks))
            {
                if (ReadOrNull(Path.Combine(task, "comm"))?.StartsWith(".NET Tiered", StringComparison.Ordinal) == true
                    && ReadOrNull(Path.Combine(task, "stat")) is { } stat)
                {
                    _ticksByThread[Path.GetFileName(task)] = CpuTicks(stat);
                }
            }

            var total = _ticksByThread.Values.Sum();
            var now = Stopwatch.GetTimestamp();
            _samples.Enqueue((now, total));
            // A minute of samples is more than any question asks about.
            while (_samples.Count > 0 && Stopwatch.GetElapsedTime(_samples.Peek().Timestamp, now) > TimeSpan.FromMinutes(1))
            {
                _samples.Dequeue();
            }

            return TimeSpan.FromSeconds(total / TicksPerSecond);
        }
    }

    /// <summary>
    /// True when the samples span at least <paramref name="window"/> and the JIT used at most one tick (10 ms) of CPU in
    /// the last <paramref name="window"/> of them: under full load, less than 1 % of a core over two seconds.
    /// </summary>
    public bool QuietFor(TimeSpan window)
    {
        lock (_lock)
        {
            if (_samples.Count < 2)
            {
                return false;
            }

            var (latestAt, latest) = _samples.Last();
            var from = _samples.LastOrDefault(s => Stopwatch.GetElapsedTime(s.Timestamp, latestAt) >= window);
            return from.Timestamp != 0 && latest - from.Ticks <= 1;
        }
    }

    /// <summary>utime + stime: fields 14 and 15 of stat, counted after the command name, which may hold spaces.</summary>
    private static long CpuTicks(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>A thread can end between listing and reading; it is then simply not counted this time.</summary>
    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
