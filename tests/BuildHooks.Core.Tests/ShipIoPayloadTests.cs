using System.Text.Json;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class ShipIoPayloadTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Shipio_payload_of_the_seed_build_equals_the_seed_field_for_field()
    {
        var rendered = PayloadRenderer.Render(Seeds.ShipIoEvent(HookContentType.Json), Now);

        Assert.Equal("application/json", rendered.ContentType);
        JsonAssert.Equal(Seeds.ShipIoJson, rendered.Body);
    }

    [Theory]
    [InlineData(BuildStatus.Pass, "succeeded", true)]
    [InlineData(BuildStatus.Fail, "failed", false)]
    [InlineData(BuildStatus.Error, "errored", false)]
    public void State_and_successful_follow_the_build_status(BuildStatus status, string state, bool successful)
    {
        var e = Seeds.ShipIoEvent(HookContentType.Json);
        e.Build.Status = status;

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);
        var build = json.RootElement.GetProperty("build");

        Assert.Equal(state, build.GetProperty("state").GetString());
        Assert.Equal(successful, build.GetProperty("successful").GetBoolean());
    }

    [Fact]
    public void Build_without_artifacts_has_an_empty_list_and_unknown_urls_are_null()
    {
        var seed = Seeds.ShipIoEvent(HookContentType.Json);
        seed.Project.Repository.HtmlUrl = null;
        seed.Project.Repository.CloneUrl = null;
        var e = seed with { Artifacts = [] };

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);
        var repository = json.RootElement.GetProperty("job").GetProperty("repository");

        Assert.Equal(0, json.RootElement.GetProperty("build").GetProperty("artifacts").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, repository.GetProperty("html_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, repository.GetProperty("clone_url").ValueKind);
    }
}
