using System.Text;
using System.Text.Json;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class MagnumPayloadTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Magnum_payload_of_the_seed_build_equals_the_seed_field_for_field()
    {
        var rendered = PayloadRenderer.Render(Seeds.MagnumEvent(HookContentType.Json), Now);

        Assert.Equal("application/json", rendered.ContentType);
        JsonAssert.Equal(Seeds.MagnumJson, rendered.Body);
    }

    [Fact]
    public void Magnum_payload_is_compact_utf8_json_without_escaped_names()
    {
        var e = Seeds.MagnumEvent(HookContentType.Json);
        e.Build.Author = "José Núñez";

        var body = Encoding.UTF8.GetString(PayloadRenderer.Render(e, Now).Body);

        Assert.StartsWith("{\"id\":1603,\"project_id\":43,\"title\":\"[PASS] project-name #130 (master - e91e132) by José Núñez\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BuildStatus.Fail, null, "fail", 1)]
    [InlineData(BuildStatus.Error, null, "error", 1)]
    [InlineData(BuildStatus.Fail, 2, "fail", 2)]
    [InlineData(BuildStatus.Pass, 0, "pass", 0)]
    public void Result_is_the_exit_status_or_follows_from_the_status(BuildStatus status, int? exitStatus, string expectedStatus, int expectedResult)
    {
        var e = Seeds.MagnumEvent(HookContentType.Json);
        e.Build.Status = status;
        e.Build.Result = exitStatus;

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);

        Assert.Equal(expectedStatus, json.RootElement.GetProperty("status").GetString());
        Assert.Equal(expectedResult, json.RootElement.GetProperty("result").GetInt32());
        Assert.StartsWith($"[{expectedStatus.ToUpperInvariant()}] ", json.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_keep_the_offset_the_build_was_reported_with()
    {
        var e = Seeds.MagnumEvent(HookContentType.Json);
        e.Build.StartedAt = new DateTimeOffset(2024, 12, 31, 23, 59, 58, 750, TimeSpan.FromHours(5.5));
        e.Build.FinishedAt = new DateTimeOffset(2024, 12, 31, 18, 30, 5, TimeSpan.Zero);

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);

        Assert.Equal("2024-12-31T23:59:58+05:30", json.RootElement.GetProperty("started_at").GetString());
        Assert.Equal("2024-12-31T18:30:05+00:00", json.RootElement.GetProperty("finished_at").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("duration").GetInt64());
        Assert.Equal("6s", json.RootElement.GetProperty("duration_string").GetString());
    }

    [Fact]
    public void Unknown_commit_url_is_written_as_null_not_left_out()
    {
        var e = Seeds.MagnumEvent(HookContentType.Json);
        e.Build.CommitUrl = null;

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("commit_url").ValueKind);
    }

    [Fact]
    public void A_running_build_is_not_rendered()
    {
        var e = Seeds.MagnumEvent(HookContentType.Json);
        e.Build.Status = BuildStatus.Running;
        e.Build.FinishedAt = null;

        Assert.Throws<ArgumentException>(() => PayloadRenderer.Render(e, Now));
    }
}
