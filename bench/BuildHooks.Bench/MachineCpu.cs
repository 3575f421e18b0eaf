using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>
/// The whole machine's CPU time, busy and idle, summed over its cores, from the first line of /proc/stat. Over a
/// measured phase, busy time less the sender's and the bench's is what nobody else's counter shows: a database
/// server's processes, and the kernel's own threads writing dirty pages back to disk. Idle time says whether the
/// run was bound by the cores at all. Null where /proc/stat is not there. (Hand-written: no package reads it.)
/// </summary>
public readonly record struct MachineCpu(TimeSpan Busy, TimeSpan Idle)
{
    /// <summary>Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every mainstream architecture.</summary>
    private const double TicksPerSecond = 100;

    public static MachineCpu? Sample()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        long idle = ticks[3] + ticks[4];
        long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
        return new MachineCpu(TimeSpan.FromSeconds(busy / TicksPerSecond), TimeSpan.FromSeconds(idle / TicksPerSecond));
    }

    public static MachineCpu operator -(MachineCpu end, MachineCpu start) => new(end.Busy - start.Busy, end.Idle - start.Idle);

    /// <summary>The share of the cores' time that was idle.</summary>
    public double IdleShare => Busy + Idle > TimeSpan.Zero ? Idle / (Busy + Idle) : 0;
}
