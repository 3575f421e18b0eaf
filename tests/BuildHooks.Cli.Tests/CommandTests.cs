using System.Globalization;
using System.Text.Json;
using BuildHooks.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Cli.Tests;

/// <summary>The management commands against the real server: JSON for scripts, readable tables, and exit codes.</summary>
public sealed class CommandTests(TestServer server) : IClassFixture<TestServer>, IAsyncLifetime
{
    private Receiver _receiver = null!;
    private Infrastructure.Cli _cli = null!;

    public async Task InitializeAsync()
    {
        _receiver = await Receiver.StartAsync("/hook");
        _receiver.Respond = (_, _) => Task.FromResult(Results.Text("thanks from the receiver"));
        _cli = Infrastructure.Cli.For(server.Url, Path.GetTempPath());
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static string Id(JsonElement element) => element.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_json_output_parses_and_is_the_api_json()
    {
        var project = await _cli.JsonAsync("projects", "add", "--name", "json-project", "--repository-url", "https://github.com/acme/json-project");
        var projectId = Id(project);
        Assert.StartsWith("bhr_", project.GetProperty("report_token").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://github.com/acme/json-project.git", project.GetProperty("repository").GetProperty("clone_url").GetString());

        var hook = await _cli.JsonAsync("hooks", "add", "-p", projectId, _receiver.Url, "--content-type", "json", "--trigger", "fail", "--trigger", "fixed",
            "--branch", "master", "--header", "Authorization=Bearer secret-value");
        var hookId = Id(hook);
        Assert.StartsWith("whsec_", hook.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(["fail", "fixed"], hook.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));

        Assert.Contains((await _cli.JsonAsync("projects", "list")).EnumerateArray(), p => Id(p) == projectId);
        Assert.Equal("json-project", (await _cli.JsonAsync("projects", "show", projectId)).GetProperty("name").GetString());
        Assert.Single((await _cli.JsonAsync("hooks", "list", "-p", projectId)).EnumerateArray());
        Assert.Equal("[REDACTED]", (await _cli.JsonAsync("hooks", "show", "-p", projectId, hookId)).GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(["any"], (await _cli.JsonAsync("hooks", "update", "-p", projectId, hookId, "--trigger", "any"))
            .GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.False((await _cli.JsonAsync("hooks", "disable", "-p", projectId, hookId)).GetProperty("enabled").GetBoolean());
        Assert.True((await _cli.JsonAsync("hooks", "enable", "-p", projectId, hookId)).GetProperty("enabled").GetBoolean());

        var build = await _cli.JsonAsync("builds", "report", "-p", projectId, "--status", "fail", "--commit", "e91e132612d263d95211aae6de2df9e503f22704",
            "--branch", "master", "--author", "Dan Sosedoff", "--message", "Fix the login screen", "--duration", "158");
        Assert.Equal("fail", build.GetProperty("status").GetString());
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal(158, payload.GetProperty("duration").GetInt32());
        Assert.Equal("2m 38s", payload.GetProperty("duration_string").GetString());

        Assert.Single((await _cli.JsonAsync("builds", "list", "-p", projectId)).EnumerateArray());
        Assert.Equal("Dan Sosedoff", (await _cli.JsonAsync("builds", "show", Id(build))).GetProperty("author").GetString());

        var test = await _cli.JsonAsync("hooks", "test", "-p", projectId, hookId);
        Assert.True(test.GetProperty("succeeded").GetBoolean());
        Assert.Equal("thanks from the receiver", test.GetProperty("response_body").GetString());
        await _receiver.NextAsync();

        var deliveries = await _cli.JsonAsync("deliveries", "list", "--hook", hookId);
        Assert.Equal(2, deliveries.GetArrayLength());
        // --limit 1 gives the newest; --before its id pages on to the other.
        var first = await _cli.JsonAsync("deliveries", "list", "--hook", hookId, "--limit", "1");
        var older = await _cli.JsonAsync("deliveries", "list", "--hook", hookId, "--before", Id(Assert.Single(first.EnumerateArray())));
        Assert.Equal(Id(deliveries[1]), Id(Assert.Single(older.EnumerateArray())));
        // The build's own list: its live delivery, and the test that sent it as the sample build. Naming neither list, or both, is a usage error.
        var ofBuild = (await _cli.JsonAsync("deliveries", "list", "--build", Id(build))).EnumerateArray().ToList();
        Assert.Equal(["live", "test"], ofBuild.Select(d => d.GetProperty("kind").GetString()).Order());
        Assert.All(ofBuild, d => Assert.Equal(Id(build), d.GetProperty("build_id").GetInt64().ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(2, (await _cli.RunAsync("deliveries", "list")).ExitCode);
        Assert.Equal(2, (await _cli.RunAsync("deliveries", "list", "--hook", hookId, "--build", Id(build))).ExitCode);

        var deliveryId = Id(deliveries.EnumerateArray().Last());
        var delivery = await _cli.SettledDeliveryAsync(deliveryId);
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal("[REDACTED]", attempt.GetProperty("request_headers").GetProperty("Authorization").GetString());

        var webhookId = delivery.GetProperty("webhook_id").GetString()!;
        Assert.Equal(deliveryId, Id(await _cli.JsonAsync("deliveries", "show", webhookId)));

        // The answer reads the delivery after it is queued; the node may have sent it again by then.
        var redelivered = await _cli.JsonAsync("deliveries", "redeliver", deliveryId);
        Assert.Equal(deliveryId, Id(redelivered));
        Assert.Contains(redelivered.GetProperty("status").GetString(), new[] { "pending", "succeeded" });
        await _receiver.NextAsync();
        Assert.Equal(0, (await _cli.JsonAsync("deliveries", "recover", "--hook", hookId, "--since", "2026-01-01T00:00:00Z")).GetProperty("redelivered").GetInt32());

        var rotated = await _cli.JsonAsync("hooks", "rotate-secret", "-p", projectId, hookId);
        Assert.StartsWith("whsec_", rotated.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(hook.GetProperty("secret").GetString(), rotated.GetProperty("secret").GetString());

        Assert.True((await _cli.JsonAsync("hooks", "remove", "-p", projectId, hookId)).GetProperty("deleted").GetBoolean());
        Assert.True((await _cli.JsonAsync("projects", "remove", projectId)).GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Hooks_update_header_changes_only_the_named_headers_and_the_stored_credential_still_goes_out()
    {
        var projectId = Id(await _cli.JsonAsync("projects", "add", "--name", "header-merge"));
        var hookId = Id(await _cli.JsonAsync("hooks", "add", "-p", projectId, _receiver.Url, "--branch", "master",
            "--header", "Authorization=Bearer kept-by-cli", "--header", "X-Plain=v1", "--header", "X-Old=o"));

        var updated = await _cli.JsonAsync("hooks", "update", "-p", projectId, hookId, "--header", "X-Plain=v6");

        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = "[REDACTED]", ["X-Plain"] = "v6", ["X-Old"] = "o" }, Headers(updated));
        var sent = await TestAsync(projectId, hookId);
        Assert.Equal("Bearer kept-by-cli", sent.Headers["Authorization"]);
        Assert.Equal("v6", sent.Headers["X-Plain"]);

        // --remove-header takes a name in any case; --all-branches clears the filters.
        updated = await _cli.JsonAsync("hooks", "update", "-p", projectId, hookId, "--remove-header", "x-old", "--all-branches");
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = "[REDACTED]", ["X-Plain"] = "v6" }, Headers(updated));
        Assert.Empty(updated.GetProperty("branches").EnumerateArray());
        sent = await TestAsync(projectId, hookId);
        Assert.False(sent.Headers.ContainsKey("X-Old"));
        Assert.Equal("Bearer kept-by-cli", sent.Headers["Authorization"]);

        updated = await _cli.JsonAsync("hooks", "update", "-p", projectId, hookId, "--remove-header", "Authorization", "--header", "x-plain=v7");
        Assert.Equal(new Dictionary<string, string?> { ["x-plain"] = "v7" }, Headers(updated));
        Assert.False((await TestAsync(projectId, hookId)).Headers.ContainsKey("Authorization"));

        var both = await _cli.RunAsync("hooks", "update", "-p", projectId, hookId, "--branch", "main", "--all-branches");
        Assert.Equal(2, both.ExitCode);
        var empty = await _cli.RunAsync("hooks", "update", "-p", projectId, hookId, "--header", "X-Plain=");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("--remove-header X-Plain", empty.Error, StringComparison.Ordinal);
        var unknown = await _cli.RunAsync("hooks", "update", "-p", projectId, hookId, "--remove-header", "X-Never");
        Assert.True(unknown.ExitCode == 0, unknown.Error);
        Assert.Contains("no such header", unknown.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Headers(JsonElement hook) =>
        hook.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString());

    private async Task<ReceivedRequest> TestAsync(string projectId, string hookId)
    {
        Assert.True((await _cli.JsonAsync("hooks", "test", "-p", projectId, hookId)).GetProperty("succeeded").GetBoolean());
        return await _receiver.NextAsync();
    }

    [Fact]
    public async Task Readable_output_shows_tables_and_every_attempt_with_request_and_response()
    {
        var projectId = Id(await _cli.JsonAsync("projects", "add", "--name", "table-project"));
        var hookId = Id(await _cli.JsonAsync("hooks", "add", "-p", projectId, _receiver.Url, "--header", "X-Api-Key=hidden-value"));

        var list = await _cli.RunAsync("projects", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("table-project", list.Output, StringComparison.Ordinal);
        Assert.Contains("│", list.Output, StringComparison.Ordinal);

        var test = await _cli.RunAsync("hooks", "test", "-p", projectId, hookId);
        Assert.True(test.ExitCode == 0, test.Error + test.Output);
        Assert.Contains("Delivered", test.Output, StringComparison.Ordinal);
        Assert.Contains("200", test.Output, StringComparison.Ordinal);
        Assert.Contains("thanks from the receiver", test.Output, StringComparison.Ordinal);

        var deliveryId = Id((await _cli.JsonAsync("deliveries", "list", "--hook", hookId)).EnumerateArray().First());
        await _cli.SettledDeliveryAsync(deliveryId);
        var show = await _cli.RunAsync("deliveries", "show", deliveryId);
        Assert.True(show.ExitCode == 0, show.Error);
        Assert.Contains("attempt 1", show.Output, StringComparison.Ordinal);
        Assert.Contains("webhook-signature", show.Output, StringComparison.Ordinal);
        Assert.Contains("response headers", show.Output, StringComparison.Ordinal);
        Assert.Contains("thanks from the receiver", show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-value", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receivers_escape_sequences_are_shown_as_question_marks_not_obeyed()
    {
        await using var hostile = await Receiver.StartAsync("/hook");
        // Sets the terminal's title, rings its bell, clears the screen, turns text red and overwrites the line.
        hostile.Respond = (_, _) => Task.FromResult(Results.Text("\u001b]0;owned\u0007\u001b[2J\u001b[31mred\rfake"));
        var projectId = Id(await _cli.JsonAsync("projects", "add", "--name", "hostile-receiver"));
        var hookId = Id(await _cli.JsonAsync("hooks", "add", "-p", projectId, hostile.Url));

        var test = await _cli.RunAsync("hooks", "test", "-p", projectId, hookId);
        var deliveryId = Id(Assert.Single((await _cli.JsonAsync("deliveries", "list", "--hook", hookId)).EnumerateArray()));
        var show = await _cli.RunAsync("deliveries", "show", deliveryId);

        foreach (var output in new[] { test.Output, show.Output })
        {
            Assert.Contains("?]0;owned??[2J?[31mred?fake", output, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
            Assert.DoesNotContain('\r', output);
        }
    }

    [Fact]
    public async Task Exit_codes_are_1_for_refusals_2_for_usage_and_3_for_an_unreachable_server()
    {
        var missing = await _cli.RunAsync("projects", "show", "999999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("404", missing.Error, StringComparison.Ordinal);

        var invalid = await _cli.RunAsync("hooks", "add", "-p", "999999", "not-a-url");
        Assert.Equal(1, invalid.ExitCode);

        Assert.Equal(2, (await _cli.RunAsync("projects")).ExitCode);
        Assert.Equal(2, (await _cli.RunAsync("projects", "frobnicate")).ExitCode);
        Assert.Equal(2, (await _cli.RunAsync("projects", "show", "not-a-number")).ExitCode);
        Assert.Equal(2, (await _cli.RunAsync("deliveries", "recover", "--since", "2026-01-01T00:00:00Z")).ExitCode);
        Assert.Equal(2, (await _cli.RunAsync("run", "--project", "1")).ExitCode);

        var unconfigured = new Infrastructure.Cli(Path.GetTempPath(), new Dictionary<string, string> { ["BUILDHOOKS_CONFIG_DIR"] = _cli.ConfigDirectory });
        var noServer = await unconfigured.RunAsync("projects", "list");
        Assert.Equal(2, noServer.ExitCode);
        Assert.Contains("buildhooks login", noServer.Error, StringComparison.Ordinal);

        var down = await _cli.RunAsync("projects", "list", "--url", "http://127.0.0.1:1");
        Assert.Equal(3, down.ExitCode);
        Assert.Contains("Cannot reach", down.Error, StringComparison.Ordinal);

        var wrongToken = await _cli.RunAsync("projects", "list", "--token", "wrong");
        Assert.Equal(1, wrongToken.ExitCode);
    }

    [Theory]
    [InlineData("builds list -p 1 --limit abc", "Cannot parse argument 'abc' for option '--limit' as a whole number.")]
    [InlineData("projects show abc", "Cannot parse argument 'abc' for command 'show' as a whole number.")]
    [InlineData("deliveries recover --hook 1 --since yesterday", "Cannot parse argument 'yesterday' for option '--since' as a date and time, such as 2026-11-27T10:00:00Z.")]
    public async Task A_value_of_the_wrong_kind_is_named_in_words_not_as_a_dotnet_type(string args, string expected)
    {
        var result = await _cli.RunAsync(args.Split(' '));

        Assert.Equal(2, result.ExitCode);
        // It said "as expected type 'System.Nullable`1[System.Int32]'".
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_works_everywhere_and_shows_examples()
    {
        foreach (var command in new[] { "--help", "projects --help", "hooks add --help", "builds report --help", "deliveries show --help", "run --help" })
        {
            var help = await _cli.RunAsync(command.Split(' '));
            Assert.True(help.ExitCode == 0, $"{command}: {help.Error}");
            Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
            Assert.Contains("Examples:", help.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Login_saves_a_private_profile_that_later_commands_use()
    {
        var bare = new Infrastructure.Cli(Path.GetTempPath(), new Dictionary<string, string> { ["BUILDHOOKS_CONFIG_DIR"] = _cli.ConfigDirectory });

        var login = await bare.RunAsync("login", "--url", server.Url, "--token", InProcessServer.AdminToken);

        Assert.True(login.ExitCode == 0, login.Error);
        var profile = Path.Combine(_cli.ConfigDirectory, "profile.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(profile));
        }

        Assert.Equal(0, (await bare.RunAsync("projects", "list", "--json")).ExitCode);

        // The environment wins over the profile.
        bare.Environment["BUILDHOOKS_URL"] = "http://127.0.0.1:1";
        Assert.Equal(3, (await bare.RunAsync("projects", "list")).ExitCode);
    }

    [Fact]
    public async Task Hook_test_exits_1_when_the_receiver_does_not_answer_2xx()
    {
        var projectId = Id(await _cli.JsonAsync("projects", "add", "--name", "dead-receiver"));
        var hookId = Id(await _cli.JsonAsync("hooks", "add", "-p", projectId, "http://127.0.0.1:1/hook"));

        var test = await _cli.RunAsync("hooks", "test", "-p", projectId, hookId);

        Assert.Equal(1, test.ExitCode);
        Assert.Contains("Not delivered", test.Output, StringComparison.Ordinal);
    }
}
