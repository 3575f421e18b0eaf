using System.Net;
using System.Net.Sockets;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>`--urls` naming a port another program holds: one line that says what to do, exit code 1, no stack trace.</summary>
public sealed class AddressInUseTests
{
    [Fact]
    public async Task A_first_start_on_a_taken_port_exits_1_with_one_line_and_still_shows_the_generated_admin_token()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("buildhooks-inuse-").FullName;

        // No configured admin token: this first start generates one.
        var (exitCode, output) = await ServerProcess.RunToExitAsync(data, $"http://127.0.0.1:{port}", new Dictionary<string, string> { ["BuildHooks__AdminToken"] = "" });

        var token = (await File.ReadAllTextAsync(Path.Combine(data, "admin-token"))).Trim();
        Directory.Delete(data, recursive: true);
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"127.0.0.1:{port} is in use; choose another address with --urls", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_named_in_the_Kestrel_section_exits_1_with_the_same_line_and_no_stack_trace()
    {
        // Kestrel's endpoints replace --urls: the one given there is the one checked.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("buildhooks-inuse-").FullName;

        var (exitCode, output) = await ServerProcess.RunToExitAsync(data, "http://127.0.0.1:0", new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}",
        });

        Directory.Delete(data, recursive: true);
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"127.0.0.1:{port} is in use; choose another address with --urls", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
