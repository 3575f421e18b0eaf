using System.Globalization;
using System.Text.Json;
using BuildHooks.Cli.Tests.Infrastructure;

namespace BuildHooks.Cli.Tests;

/// <summary>hooks add/update --allow-insecure-tls: on, shown, and off again.</summary>
public sealed class HooksInsecureTlsCommandTests(TestServer server) : IClassFixture<TestServer>
{
    [Fact]
    public async Task Allow_insecure_tls_is_set_on_add_shown_and_cleared_on_update()
    {
        var cli = Infrastructure.Cli.For(server.Url, Path.GetTempPath());
        var projectId = Id(await cli.JsonAsync("projects", "add", "--name", "insecure-tls"));

        var hook = await cli.JsonAsync("hooks", "add", "-p", projectId, "https://127.0.0.1:9/hook", "--allow-insecure-tls");
        Assert.True(hook.GetProperty("allow_insecure_tls").GetBoolean());
        var shown = await cli.RunAsync("hooks", "show", "-p", projectId, Id(hook));
        Assert.Contains("not checked", shown.Output, StringComparison.Ordinal);

        var updated = await cli.JsonAsync("hooks", "update", "-p", projectId, Id(hook), "--allow-insecure-tls", "false");
        Assert.False(updated.GetProperty("allow_insecure_tls").GetBoolean());
    }

    private static string Id(JsonElement element) => element.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
}
