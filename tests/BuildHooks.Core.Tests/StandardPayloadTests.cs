using System.Text;
using System.Text.Json;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class StandardPayloadTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 30, 15, 250, TimeSpan.FromHours(2));

    private static BuildEvent StandardEvent()
    {
        var e = Seeds.ShipIoEvent(HookContentType.Json);
        e.Hook.Format = PayloadFormat.Standard;
        e.Hook.Triggers = [HookTrigger.Fail, HookTrigger.Fixed];
        e.Hook.Branches = ["main", "release/*"];
        e.Hook.Headers["Authorization"] = "Bearer hunter2";
        e.Hook.Url = "https://user:pa55@receiver.example/hooks";
        e.Build.CompareUrl = "https://github.com/shipio/shipio-example-ios/compare/a...b";
        return e;
    }

    [Fact]
    public void Standard_payload_is_an_envelope_with_every_known_field()
    {
        var e = StandardEvent();

        var rendered = PayloadRenderer.Render(e, Now);

        Assert.Equal("application/json", rendered.ContentType);
        JsonAssert.Equal(
            """
            {
              "type": "build.finished",
              "timestamp": "2024-05-01T10:30:15.25Z",
              "data": {
                "build": {
                  "id": 99,
                  "uuid": "86db20de-32ff-467d-b139-1d0d1eb95ca7",
                  "number": 3,
                  "status": "pass",
                  "result": null,
                  "commit": "d4609e03c6059c90f9bd8b8dd6d7209c7aa769e9",
                  "author": "Ship Io",
                  "committer": "Ship Io",
                  "message": "Build the example",
                  "branch": "master",
                  "started_at": "2015-03-02T10:00:00+00:00",
                  "finished_at": "2015-03-02T10:04:12+00:00",
                  "duration": 252,
                  "duration_string": "4m 12s",
                  "commit_url": null,
                  "compare_url": "https://github.com/shipio/shipio-example-ios/compare/a...b",
                  "build_url": "https://buildhooks.example/projects/7/builds/99",
                  "artifacts": [
                    { "id": "5f9aee35-7a02-483c-9f01-2400709fa32d", "name": "ShipIO.app.zip", "download_url": "https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.app.zip?build_access_token: f6596e09b7a1be4c6" },
                    { "id": "8f165432-7751-4b81-86ee-efa2c2363c9d", "name": "ShipIO.app.dSYM.zip", "download_url": "https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.app.dSYM.zip?build_access_token=f6596e09b7a1be4c6" },
                    { "id": "83cc567a-4cc6-47f4-a363-fde80c7c4dd3", "name": "ShipIO.build.zip", "download_url": "https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.build.zip?build_access_token=f6596e09b7a1be4c6" }
                  ]
                },
                "project": {
                  "id": 7,
                  "key": "AQ_9V0GKpZ8Zkjj_",
                  "name": "shipio-example-ios",
                  "repository": {
                    "name": "shipio-example-ios",
                    "selected_branch": "master",
                    "html_url": "https://github.com/shipio/shipio-example-ios",
                    "clone_url": "https://github.com/shipio/shipio-example-ios.git"
                  }
                },
                "hook": {
                  "id": 5,
                  "format": "standard",
                  "content_type": "json",
                  "triggers": ["fail", "fixed"],
                  "branches": ["main", "release/*"],
                  "max_attempts": 8
                }
              }
            }
            """,
            rendered.Body);
    }

    [Fact]
    public void Standard_payload_never_carries_the_secret_or_credentials_of_the_hook()
    {
        var e = StandardEvent();

        var body = Encoding.UTF8.GetString(PayloadRenderer.Render(e, Now).Body);

        Assert.DoesNotContain("whsec_", body, StringComparison.Ordinal);
        Assert.DoesNotContain(e.Hook.Secret["whsec_".Length..], body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_payload_reports_the_exit_status_when_known()
    {
        var e = StandardEvent();
        e.Build.Status = BuildStatus.Fail;
        e.Build.Result = 137;

        using var json = JsonDocument.Parse(PayloadRenderer.Render(e, Now).Body);
        var build = json.RootElement.GetProperty("data").GetProperty("build");

        Assert.Equal("fail", build.GetProperty("status").GetString());
        Assert.Equal(137, build.GetProperty("result").GetInt32());
    }
}
