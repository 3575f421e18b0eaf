using System.Globalization;
using System.Text.Json;
using BuildHooks.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Cli.Tests;

/// <summary>hooks test waits as long as the hook may take, not the CLI's usual 30 s.</summary>
public sealed class HooksTestTimeoutTests(TestServer server) : IClassFixture<TestServer>
{
    [Fact]
    public async Task A_receiver_slower_than_30_s_within_the_hooks_timeout_is_shown_as_its_answer_not_as_an_unreachable_server()
    {
        await using var receiver = await Receiver.StartAsync("/slow");
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(32));
            return Results.Text("late but fine");
        };
        var cli = Infrastructure.Cli.For(server.Url, Path.GetTempPath());
        var projectId = Id(await cli.JsonAsync("projects", "add", "--name", "slow-receiver"));
        var hookId = Id(await cli.JsonAsync("hooks", "add", "-p", projectId, receiver.Url, "--timeout", "60"));

        var test = await cli.RunAsync("hooks", "test", "-p", projectId, hookId);

        Assert.True(test.ExitCode == 0, $"exit {test.ExitCode}: {test.Error}{test.Output}");
        Assert.Contains("Delivered", test.Output, StringComparison.Ordinal);
        Assert.Contains("late but fine", test.Output, StringComparison.Ordinal);
    }

    private static string Id(JsonElement element) => element.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
}
