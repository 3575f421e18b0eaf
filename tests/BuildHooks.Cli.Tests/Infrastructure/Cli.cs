using System.Text.Json;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>Runs the CLI's entry point in-process with its own environment (no inherited CI variables), working directory and captured output.</summary>
public sealed class Cli(string workingDirectory, Dictionary<string, string> environment)
{
    public Dictionary<string, string> Environment { get; } = environment;

    public string WorkingDirectory { get; set; } = workingDirectory;

    /// <summary>A CLI pointed at <paramref name="serverUrl"/> with the admin token, with private config and spool folders.</summary>
    public static Cli For(string serverUrl, string workingDirectory)
    {
        var home = Path.Combine(Path.GetTempPath(), "buildhooks-cli-tests", "home-" + Guid.NewGuid().ToString("N"));
        return new Cli(workingDirectory, new Dictionary<string, string>
        {
            ["BUILDHOOKS_URL"] = serverUrl,
            ["BUILDHOOKS_TOKEN"] = InProcessServer.AdminToken,
            ["BUILDHOOKS_CONFIG_DIR"] = Path.Combine(home, "config"),
            ["BUILDHOOKS_SPOOL_DIR"] = Path.Combine(home, "spool"),
        });
    }

    /// <summary>The same CLI (working directory, config and spool folders) with one environment variable set otherwise, such as BUILDHOOKS_URL.</summary>
    public Cli With(string variable, string value) => new(WorkingDirectory, new Dictionary<string, string>(Environment) { [variable] = value });

    public string SpoolDirectory => Environment["BUILDHOOKS_SPOOL_DIR"];

    public string ConfigDirectory => Environment["BUILDHOOKS_CONFIG_DIR"];

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext(output, error, Environment, WorkingDirectory));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Polls <c>deliveries show</c> until the delivery is settled (attempt results are written in batches, after the receiver has answered).</summary>
    public async Task<JsonElement> SettledDeliveryAsync(string deliveryId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var delivery = await JsonAsync("deliveries", "show", deliveryId);
            if (delivery.GetProperty("status").GetString() is "succeeded" or "failed" && delivery.GetProperty("attempts").GetArrayLength() > 0)
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Delivery {deliveryId} did not settle: {delivery}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs with --json, asserts success and returns the parsed output.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"buildhooks {string.Join(' ', args)} exited {result.ExitCode}: {result.Error}{result.Output}");
        return result.Json;
    }
}
