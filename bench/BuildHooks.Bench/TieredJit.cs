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
    private readonly TimeSpan _quietWindow;
    private readonly Lock _lock = new();

    /// <summary>The last count seen of every JIT thread, kept after it exits: the runtime ends an idle one and starts another later.</summary>
    private readonly Dictionary<string, long> _ticksByThread = [];

    /// <summary>Samples back to the newest one at least the quiet window old: all that <see cref="Quiet"/> looks at.</summary>
    private readonly Queue<(long Timestamp, long Ticks)> _samples = new();

    private volatile bool _quiet;

    private TieredJit(string tasks, TimeSpan quietWindow) => (_tasks, _quietWindow) = (tasks, quietWindow);

    /// <summary>A watcher of <paramref name="processId"/>, or null where its threads cannot be read.</summary>
    public static TieredJit? Watch(int processId, TimeSpan quietWindow)
    {
        var tasks = $"/proc/{processId}/task";
        return Directory.Exists(tasks) ? new TieredJit(tasks, quietWindow) : null;
    }

    /// <summary>
    /// As of the last <see cref="Sample"/>: the samples span the quiet window, and the JIT used at most one tick (10 ms)
    /// of CPU within it, under full load less than 1 % of a core over two seconds. Read without a lock, so that a
    /// reporter can ask before every build.
    /// </summary>
    public bool Quiet => _quiet;

    /// <summary>The JIT thread's CPU so far (of the threads seen by now); also updates <see cref="Quiet"/>.</summary>
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
            while (_samples.Count > 1 && Stopwatch.GetElapsedTime(_samples.ElementAt(1).Timestamp, now) >= _quietWindow)
            {
                _samples.Dequeue();
            }

            var (oldestAt, oldest) = _samples.Peek();
            _quiet = Stopwatch.GetElapsedTime(oldestAt, now) >= _quietWindow && total - oldest <= 1;
            return TimeSpan.FromSeconds(total / TicksPerSecond);
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
