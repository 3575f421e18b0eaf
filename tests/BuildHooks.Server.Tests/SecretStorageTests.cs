using System.Text;
using System.Text.Json;
using BuildHooks.Core.Signing;
using BuildHooks.Server.Tests.Infrastructure;
using System.Data.Common;

namespace BuildHooks.Server.Tests;

/// <summary>Hook secrets are encrypted at rest and never shown again after creation; tokens in hook URLs are hidden in the log.</summary>
public sealed class SecretStorageTests
{
    private static async Task<(string? Secret, string? Previous)> StoredSecretsAsync(BuildHooksServer server, long hookId)
    {
        await using var connection = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret, previous_secret FROM hooks WHERE id = @id";
        Add(command, "id", hookId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static async Task StoreSecretAsync(BuildHooksServer server, long hookId, string secret)
    {
        await using var connection = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE hooks SET secret = @secret WHERE id = @id";
        Add(command, "secret", secret);
        Add(command, "id", hookId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Every string in a JSON answer, unescaped (the server escapes '+' in base64, so raw text would hide a leak).</summary>
    internal static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };

    private static void AssertNotInDatabaseFiles(BuildHooksServer server, string secret)
    {
        var bytes = Encoding.ASCII.GetBytes(secret[WebhookSecret.Prefix.Length..]);
        foreach (var file in Directory.GetFiles(server.DataDirectory, "buildhooks.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(bytes) < 0, $"The secret's key is readable in {Path.GetFileName(file)}.");
        }
    }

    [Fact]
    public async Task The_secret_column_holds_no_readable_secret_and_deliveries_still_verify()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url, format = "standard", content_type = "json" });
        var secret = hook.Str("secret");

        await server.ReportBuildAsync(projectId);

        var request = (await receiver.WaitForAsync(1))[0];
        request.Verify(secret);
        Assert.Single(request.Entries());
        Assert.Equal(request.GitHubSignature(secret), request.Headers["X-Hub-Signature-256"]);
        var (stored, previous) = await StoredSecretsAsync(server, hook.Id());
        Assert.Null(previous);
        Assert.DoesNotContain(secret[WebhookSecret.Prefix.Length..], stored, StringComparison.Ordinal);
        Assert.False(stored!.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal), "The stored secret is in plain text.");
        AssertNotInDatabaseFiles(server, secret);
    }

    [Fact]
    public async Task A_secret_survives_a_restart_on_the_same_data_directory()
    {
        await using var receiver = await Receiver.StartAsync();
        string dataDirectory;
        string secret;
        long projectId;
        await using (var first = await BuildHooksServer.StartAsync())
        {
            dataDirectory = first.DataDirectory;
            (projectId, _) = await first.CreateProjectAsync();
            secret = (await first.CreateHookAsync(projectId, new { url = receiver.Url })).Str("secret");
        }

        await using var second = await BuildHooksServer.StartAsync(dataDirectory);
        await second.ReportBuildAsync(projectId);

        (await receiver.WaitForAsync(1))[0].Verify(secret);
    }

    [Fact]
    public async Task A_plain_secret_stored_before_encryption_still_signs()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        var legacy = WebhookSecret.Generate();
        await StoreSecretAsync(server, hookId, legacy);

        await server.ReportBuildAsync(projectId);
        var tested = await server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { }, System.Net.HttpStatusCode.OK);

        Assert.True(tested.GetProperty("succeeded").GetBoolean(), tested.ToString());
        var requests = await receiver.WaitForAsync(2);
        Assert.All(requests, r => r.Verify(legacy));
    }

    [Fact]
    public async Task A_plain_secret_from_an_earlier_version_is_encrypted_at_start_and_still_signs()
    {
        await using var receiver = await Receiver.StartAsync();
        var legacy = WebhookSecret.Generate();
        string dataDirectory;
        long projectId;
        long hookId;
        await using (var first = await BuildHooksServer.StartAsync())
        {
            dataDirectory = first.DataDirectory;
            (projectId, _) = await first.CreateProjectAsync();
            hookId = (await first.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
            await StoreSecretAsync(first, hookId, legacy);
        }

        await using var second = await BuildHooksServer.StartAsync(dataDirectory);
        await second.ReportBuildAsync(projectId);

        (await receiver.WaitForAsync(1))[0].Verify(legacy);
        var (stored, _) = await StoredSecretsAsync(second, hookId);
        Assert.False(stored!.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal), "The plain secret was not encrypted at start.");
        Assert.DoesNotContain(legacy[WebhookSecret.Prefix.Length..], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_never_in_the_hook_the_log_or_the_test_answer()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url });
        var secret = hook.Str("secret");
        var key = secret[WebhookSecret.Prefix.Length..];

        await server.ReportBuildAsync(projectId);
        var tested = await server.PostAsync($"/api/projects/{projectId}/hooks/{hook.Id()}/test", new { }, System.Net.HttpStatusCode.OK);
        var live = (await server.WaitForHookAsync(hook.Id(), "succeeded", 2)).Select(d => d.Id()).ToList();

        var shown = new List<JsonElement>
        {
            tested,
            await server.GetAsync($"/api/projects/{projectId}/hooks/{hook.Id()}"),
            await server.GetAsync($"/api/projects/{projectId}/hooks"),
            await server.GetAsync($"/api/hooks/{hook.Id()}/deliveries"),
        };
        foreach (var id in live)
        {
            shown.Add(await server.GetAsync($"/api/deliveries/{id}"));
        }

        Assert.All(shown.SelectMany(Strings), text => Assert.DoesNotContain(key, text, StringComparison.Ordinal));
        Assert.False((await server.GetAsync($"/api/projects/{projectId}/hooks/{hook.Id()}")).TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task A_token_in_the_hook_url_reaches_the_receiver_but_is_redacted_in_the_attempt_log()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url + "/in?token=tok-4f9c2e&team=ci&api_key=key-77e1" });

        await server.ReportBuildAsync(projectId);
        await server.PostAsync($"/api/projects/{projectId}/hooks/{hook.Id()}/test", new { }, System.Net.HttpStatusCode.OK);

        var requests = await receiver.WaitForAsync(2);
        Assert.All(requests, r => Assert.Equal("/in?token=tok-4f9c2e&team=ci&api_key=key-77e1", r.Path));
        var deliveries = await server.WaitForHookAsync(hook.Id(), "succeeded", 2);
        foreach (var row in deliveries)
        {
            var delivery = await server.GetAsync($"/api/deliveries/{row.Id()}");
            var attempt = delivery.GetProperty("attempts")[0];
            Assert.Equal(receiver.Url + "/in?token=[REDACTED]&team=ci&api_key=[REDACTED]", attempt.Str("url"));
            Assert.All(Strings(delivery), text => Assert.DoesNotContain("tok-4f9c2e", text, StringComparison.Ordinal));
            Assert.All(Strings(delivery), text => Assert.DoesNotContain("key-77e1", text, StringComparison.Ordinal));
        }
    }
}
