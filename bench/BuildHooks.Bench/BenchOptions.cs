using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>The command line, parsed by hand: a dozen options do not justify a parser package.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/BuildHooks.Bench -- [options]

          --builds N               builds to report (default 20000)
          --projects N             projects to spread them over (default 10)
          --hooks N                hooks per project; every build goes to all of its project's hooks (default 1);
                                   0 measures reports alone: the server's CPU per report, nothing delivered
          --report-concurrency N   builds reported in parallel (default 32)
          --warmup N               builds reported and delivered before measuring, not counted (default 30000; 0 for none);
                                   then more, until the sender's background JIT has been quiet for 2 s (Linux; at
                                   most 4 x N builds and 60 s in all)
          --warmup-seconds S       stop starting warm-up builds after S seconds (default 15), unless the JIT is busy
          --rate R                 offer R builds/s instead of as fast as possible (for latency runs)
          --timeout S              seconds to wait for deliveries after the last report (default 120)
          --ceiling-seconds S      length of the raw receiver flood (default 5)
          --ceiling-concurrency N  parallel requests in the flood (default 128)
          --server-dll PATH        a built BuildHooks.Server.dll (default: build src/BuildHooks.Server in Release)
          --ceiling-only           measure only the receiver ceiling (no server needed)
          --compare                one run, side by side: the raw ceiling, BuildHooks on SQLite, BuildHooks on
                                   PostgreSQL and the Hangfire baseline (the last two need --postgres)
          --rest S                 with --compare, seconds the machine rests before each sender after the first and
                                   before the ceiling, so no run inherits the one before it (default 20; 0 for none)
          --senders LIST           with --compare, which senders to run: sqlite,postgres,hangfire (default: all
                                   that can run)
          --postgres CONN          a PostgreSQL connection string allowed to CREATE DATABASE; every sender gets a
                                   fresh database that is dropped afterwards (default: $BUILDHOOKS_BENCH_POSTGRES)
          --isolation              20 % of the hooks hang, 20 % answer 500, the rest are healthy (default --hooks 5);
                                   deliveries and latency are counted for the healthy hooks only
          --pending N              memory with N deliveries pending: fill the server through the API with hooks that
                                   refuse connections, let it retry for --settle seconds, print its RSS
                                   (defaults --projects 1, --hooks 100, --report-concurrency 64)
          --settle S               with --pending, seconds to keep the server running after the fill (default 30)
          --timeline PREFIX        also write each sender's deliveries, arrival and latency, to PREFIX-<sender>.csv
          --help                   this text
        """;

    public int Builds { get; private set; } = 20_000;
    public int Projects { get; private set; } = 10;
    public int HooksPerProject { get; private set; } = 1;

    /// <summary>No hooks (<c>--hooks 0</c>): the run measures the reports alone, and costs are per report.</summary>
    public bool ReportsOnly => HooksPerProject == 0;

    public int ReportConcurrency { get; private set; } = 32;
    public int Warmup { get; private set; } = 30_000;

    public TimeSpan WarmupTime { get; private set; } = TimeSpan.FromSeconds(15);
    public double? Rate { get; private set; }
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(120);
    public TimeSpan CeilingDuration { get; private set; } = TimeSpan.FromSeconds(5);
    public int CeilingConcurrency { get; private set; } = 128;
    public string? ServerDll { get; private set; }
    public bool CeilingOnly { get; private set; }
    public bool Compare { get; private set; }
    public TimeSpan Rest { get; private set; } = TimeSpan.FromSeconds(20);
    public IReadOnlyList<string> Senders { get; private set; } = ["sqlite", "postgres", "hangfire"];
    public string? Postgres { get; private set; } = Environment.GetEnvironmentVariable("BUILDHOOKS_BENCH_POSTGRES") is { Length: > 0 } pg ? pg : null;
    public bool Isolation { get; private set; }
    public long? PendingDeliveries { get; private set; }
    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(30);
    public string? Timeline { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Which of each project's hooks hang, fail or answer: all healthy unless --isolation.</summary>
    public HookLayout Layout => HookLayout.For(HooksPerProject, Isolation);

    /// <exception cref="ArgumentException">An unknown option or a value out of range; the message says which.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            given.Add(name);
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--builds": o.Builds = Positive(name, Value()); break;
                case "--projects": o.Projects = Positive(name, Value()); break;
                case "--hooks": o.HooksPerProject = NonNegative(name, Value()); break;
                case "--report-concurrency": o.ReportConcurrency = Positive(name, Value()); break;
                case "--warmup": o.Warmup = NonNegative(name, Value()); break;
                case "--warmup-seconds": o.WarmupTime = TimeSpan.FromSeconds(PositiveNumber(name, Value())); break;
                case "--rate": o.Rate = PositiveNumber(name, Value()); break;
                case "--timeout": o.Timeout = TimeSpan.FromSeconds(PositiveNumber(name, Value())); break;
                case "--ceiling-seconds": o.CeilingDuration = TimeSpan.FromSeconds(PositiveNumber(name, Value())); break;
                case "--ceiling-concurrency": o.CeilingConcurrency = Positive(name, Value()); break;
                case "--server-dll": o.ServerDll = ExistingFile(name, Value()); break;
                case "--ceiling-only": o.CeilingOnly = true; break;
                case "--compare": o.Compare = true; break;
                case "--rest": o.Rest = TimeSpan.FromSeconds(NonNegative(name, Value())); break;
                case "--senders": o.Senders = SenderList(name, Value()); break;
                case "--postgres": o.Postgres = Value(); break;
                case "--isolation": o.Isolation = true; break;
                case "--pending": o.PendingDeliveries = Positive(name, Value()); break;
                case "--settle": o.Settle = TimeSpan.FromSeconds(NonNegative(name, Value())); break;
                case "--timeline": o.Timeline = Value(); break;
                case "--help" or "-h": o.Help = true; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        o.ApplyModeDefaults(given);
        return o;
    }

    /// <summary>Each mode has its own useful shape; an option given on the command line always wins.</summary>
    private void ApplyModeDefaults(HashSet<string> given)
    {
        if (ReportsOnly && (Compare || Isolation || PendingDeliveries is not null || CeilingOnly))
        {
            throw new ArgumentException("--hooks 0 (reports alone) is for a single run; leave out --compare, --isolation, --pending and --ceiling-only");
        }

        if (PendingDeliveries is { } pending)
        {
            if (Isolation || Compare || CeilingOnly)
            {
                throw new ArgumentException("--pending is a mode of its own; leave out --isolation, --compare and --ceiling-only");
            }

            // Many hooks on one project: every accepted report adds a hundred rows, so the fill is quick.
            Projects = given.Contains("--projects") ? Projects : 1;
            HooksPerProject = given.Contains("--hooks") ? HooksPerProject : (int)Math.Min(100, pending);
            ReportConcurrency = given.Contains("--report-concurrency") ? ReportConcurrency : 64;
            if ((long)Projects * HooksPerProject > pending)
            {
                throw new ArgumentException($"--pending {pending} is fewer than the {Projects * HooksPerProject} hooks of one build per project");
            }
        }

        if (Isolation)
        {
            HooksPerProject = given.Contains("--hooks") ? HooksPerProject : HookLayout.IsolationDefaultHooks;
            if (HooksPerProject < HookLayout.IsolationMinimumHooks)
            {
                throw new ArgumentException($"--isolation needs at least {HookLayout.IsolationMinimumHooks} hooks per project (one hangs, one fails, one is healthy)");
            }
        }
    }

    private static string[] SenderList(string name, string value)
    {
        var senders = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return senders.Length > 0 && senders.All(s => s is "sqlite" or "postgres" or "hangfire")
            ? senders
            : throw new ArgumentException($"{name} wants a comma-separated list of sqlite, postgres, hangfire, not '{value}'");
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} wants a positive whole number, not '{value}'");

    private static string ExistingFile(string name, string value) =>
        File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"{name}: there is no file {value}");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} wants a whole number, not '{value}'");

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 && double.IsFinite(x)
            ? x
            : throw new ArgumentException($"{name} wants a positive number, not '{value}'");
}
