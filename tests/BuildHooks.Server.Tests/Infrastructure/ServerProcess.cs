using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// The real server as a child process (<c>dotnet BuildHooks.Server.dll</c>), as an operator runs it, so a
/// test can kill -9 it. It is signalled by its own process id, never by name.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Admin = new HttpClient { BaseAddress = baseAddress };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.AdminToken);
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public HttpClient Admin { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The server's last lines of output, for assertion messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>
    /// Starts the server on a free loopback port and waits until <c>/healthz</c> answers; it runs in the test's output
    /// folder unless <paramref name="workingDirectory"/> names another, as an operator's shell would.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string? workingDirectory = null)
    {
        var port = FreePort();
        var info = await StartInfoAsync(dataDirectory, $"http://127.0.0.1:{port}", settings, workingDirectory);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start 'dotnet'");
        var server = new ServerProcess(process, dataDirectory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>
    /// Runs the server on <paramref name="url"/> and waits for it to exit by itself, as a start that fails does; its
    /// exit code and everything it wrote to standard output and error.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDirectory, string url, IDictionary<string, string>? settings = null)
    {
        var info = await StartInfoAsync(dataDirectory, url, settings, workingDirectory: null);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start 'dotnet'");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
            Assert.Fail($"The server was still running after 60 s:\n{string.Join('\n', output)}");
        }

        // The parameterless wait also drains the redirected output.
        await process.WaitForExitAsync();
        return (process.ExitCode, string.Join('\n', output));
    }

    private static async Task<ProcessStartInfo> StartInfoAsync(string dataDirectory, string url, IDictionary<string, string>? settings, string? workingDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "BuildHooks.Server.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        info.Environment["BuildHooks__DataDirectory"] = dataDirectory;
        info.Environment["BuildHooks__AdminToken"] = InProcessServer.AdminToken;
        info.Environment["BuildHooks__Delivery__AllowedNetworks__0"] = "127.0.0.0/8";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // A test that names its own database (several nodes on one) keeps it; others get the data directory's.
        var ownDatabase = settings?.ContainsKey("ConnectionStrings__BuildHooks") == true;
        foreach (var (key, value) in ownDatabase ? [] : await TestDatabase.SettingsAsync(dataDirectory))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>A normal stop (SIGTERM), as systemd or Docker sends; waits for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-s", "TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(_process.HasExited, $"The server exited with code {(_process.HasExited ? _process.ExitCode : 0)} before it was healthy:\n{RecentOutput}");
            try
            {
                using var response = await Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"The server was not healthy within {timeout.TotalSeconds} s:\n{RecentOutput}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
        while (_output.Count > 60)
        {
            _output.TryDequeue(out _);
        }
    }
}
