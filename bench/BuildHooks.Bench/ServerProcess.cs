using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace BuildHooks.Bench;

/// <summary>
/// The BuildHooks server as a child process with a fresh data directory, exactly as an operator
/// runs it (<c>dotnet BuildHooks.Server.dll</c>). It is stopped by its own process id, never by name,
/// so that other servers on the machine are left alone.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string dataDirectory, Uri baseAddress, string adminToken)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        AdminToken = adminToken;
    }

    public Uri BaseAddress { get; }
    public string AdminToken { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The server's last lines of output, for when it fails to start or misbehaves.</summary>
    public IEnumerable<string> RecentOutput => _output;

    public static ServerProcess Start(string dll, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-bench-").FullName;
        var adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["BuildHooks__DataDirectory"] = dataDirectory;
        info.Environment["BuildHooks__AdminToken"] = adminToken;
        info.Environment["BuildHooks__Delivery__AllowedNetworks__0"] = "127.0.0.0/8";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // Each project's reports share its token, and the default limit (6,000 requests per token per 10 s) would refuse
        // a run with few projects; the limiter still counts every request, it only never says no.
        info.Environment["BuildHooks__RateLimit__PermitLimit"] = "1000000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start 'dotnet'");
        var server = new ServerProcess(process, dataDirectory, new Uri($"http://127.0.0.1:{port}/"), adminToken);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var healthz = new Uri(BaseAddress, "healthz");
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was healthy");
            }

            try
            {
                using var response = await http.GetAsync(healthz, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"GET {healthz} did not answer 200 within {timeout.TotalSeconds:0} s");
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the server exited with code {_process.ExitCode} during the run");
        }
    }

    /// <summary>Reads the kernel's high-water mark of resident memory: the peak, not a sample that could miss it.</summary>
    public ServerStats Stats()
    {
        _process.Refresh();
        var peak = StatusBytes("VmHWM:") ?? _process.PeakWorkingSet64;
        return new ServerStats(_process.Id, peak, _process.TotalProcessorTime);
    }

    /// <summary>Resident memory now (the kernel's VmRSS); null when it cannot be read.</summary>
    public long? ResidentBytes() => StatusBytes("VmRSS:");

    /// <summary>Prints what went wrong and the server's last output: its own last words are usually the explanation.</summary>
    public void PrintFailure(Exception e)
    {
        Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine("last server output:");
        foreach (var line in RecentOutput)
        {
            Console.Error.WriteLine($"  | {line}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"server process {_process.Id} did not exit within 10 s of being killed");
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run over.
        }
    }

    /// <summary>A size line of /proc/&lt;pid&gt;/status (given in kB there), in bytes.</summary>
    private long? StatusBytes(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            // Not Linux, or the process is gone.
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines)
        {
            _output.TryDequeue(out _);
        }
    }
}
