using System.Net;
using System.Net.Sockets;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// A setting the server cannot work with stops the start with exit code 1 and one line that names it, before
/// anything listens: not a stack trace, not a 500 on every request, not a dispatcher spinning at full CPU.
/// </summary>
public sealed class BadSettingTests
{
    [Theory]
    [InlineData("BuildHooks__Database__Provider", "mysql", "BuildHooks:Database:Provider is 'mysql'")]
    [InlineData("BuildHooks__Delivery__BatchSize", "abc", "'abc' at 'BuildHooks:Delivery:BatchSize'")]
    [InlineData("BuildHooks__Delivery__BatchSize", "0", "BuildHooks:Delivery:BatchSize is '0'; it must be 1 or more")]
    [InlineData("BuildHooks__Delivery__LeaseSeconds", "0", "BuildHooks:Delivery:LeaseSeconds is '0'")]
    [InlineData("BuildHooks__Delivery__PerHookConcurrency", "0", "BuildHooks:Delivery:PerHookConcurrency is '0'")]
    [InlineData("BuildHooks__Delivery__MaxInFlight", "-1", "BuildHooks:Delivery:MaxInFlight is '-1'; it must be 0 or more")]
    [InlineData("BuildHooks__Delivery__RetrySchedule__1", "-00:00:05", "BuildHooks:Delivery:RetrySchedule:1 is '-00:00:05'")]
    [InlineData("BuildHooks__Delivery__SecretRotationOverlap", "-01:00:00", "BuildHooks:Delivery:SecretRotationOverlap is '-01:00:00'")]
    [InlineData("BuildHooks__Delivery__AllowedNetworks__0", "10.0.0.0/33", "'10.0.0.0/33' in BuildHooks:Delivery:AllowedNetworks")]
    [InlineData("BuildHooks__RateLimit__Window", "00:00:00", "BuildHooks:RateLimit:Window is '00:00:00'")]
    [InlineData("BuildHooks__RateLimit__PermitLimit", "-1", "BuildHooks:RateLimit:PermitLimit is '-1'")]
    [InlineData("BuildHooks__Retention__Days", "-1", "BuildHooks:Retention:Days is '-1'")]
    [InlineData("BuildHooks__Retention__Interval", "5s", "'5s' at 'BuildHooks:Retention:Interval'")]
    [InlineData("BuildHooks__Retention__Interval", "00:00:00", "BuildHooks:Retention:Interval is '00:00:00'")]
    [InlineData("BuildHooks__MaxRequestBodyBytes", "-5", "BuildHooks:MaxRequestBodyBytes is '-5'")]
    [InlineData("BuildHooks__MaxUrlBytes", "0", "BuildHooks:MaxUrlBytes is '0'")]
    [InlineData("BuildHooks__PublicUrl", "hooks.example.com", "BuildHooks:PublicUrl is 'hooks.example.com'")]
    [InlineData("BuildHooks__Bins__Lifetime", "00:00:00", "BuildHooks:Bins:Lifetime is '00:00:00'")]
    [InlineData("BuildHooks__Bins__PruneInterval", "-00:01:00", "BuildHooks:Bins:PruneInterval is '-00:01:00'")]
    [InlineData("BuildHooks__Artifacts__SweepInterval", "0", "BuildHooks:Artifacts:SweepInterval is '00:00:00'")]
    public async Task A_setting_that_cannot_work_stops_the_start_with_one_line_that_names_it(string key, string value, string expected)
    {
        await AssertRefusedAsync(new Dictionary<string, string> { [key] = value }, expected);
    }

    [Fact]
    public async Task A_PostgreSQL_server_that_refuses_the_connection_stops_the_start_with_one_line()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        // Nothing answers on a port taken and then freed.
        holder.Stop();

        await AssertRefusedAsync(new Dictionary<string, string>
        {
            ["BuildHooks__Database__Provider"] = "postgres",
            ["ConnectionStrings__BuildHooks"] = $"Host=127.0.0.1;Port={port};Username=buildhooks;Password=buildhooks;Database=none;Timeout=3",
        }, $"The database could not be opened or upgraded: Failed to connect to 127.0.0.1:{port}");
    }

    [Fact]
    public async Task A_connection_string_Npgsql_cannot_read_stops_the_start_with_one_line()
    {
        await AssertRefusedAsync(new Dictionary<string, string>
        {
            ["BuildHooks__Database__Provider"] = "postgres",
            ["ConnectionStrings__BuildHooks"] = "Hostt=db",
        }, "ConnectionStrings:BuildHooks cannot be read: Couldn't set hostt");
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_stops_the_start_with_one_line()
    {
        // A path through a file: no user, root included, can create a directory there.
        var file = Path.GetTempFileName();
        try
        {
            await AssertRefusedAsync(new Dictionary<string, string>(), "BuildHooks:DataDirectory is", Path.Combine(file, "data"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_key_ring_path_that_cannot_be_created_stops_the_start_instead_of_failing_every_new_hook()
    {
        var file = Path.GetTempFileName();
        try
        {
            await AssertRefusedAsync(new Dictionary<string, string> { ["BuildHooks__DataProtectionKeysPath"] = Path.Combine(file, "keys") },
                "BuildHooks:DataProtectionKeysPath is");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task AssertRefusedAsync(Dictionary<string, string> settings, string expected, string? dataDirectory = null)
    {
        var data = dataDirectory ?? Directory.CreateTempSubdirectory("buildhooks-setting-").FullName;
        var (exitCode, output) = await ServerProcess.RunToExitAsync(data, "http://127.0.0.1:0", settings);
        if (dataDirectory is null)
        {
            Directory.Delete(data, recursive: true);
        }

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
