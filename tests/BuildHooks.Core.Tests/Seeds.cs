using BuildHooks.Core.Model;

namespace BuildHooks.Core.Tests;

/// <summary>The builds, projects and hooks of the two reference payloads in shared/seeds.</summary>
internal static class Seeds
{
    public const string MagnumJson = """
        {
          "id": 1603,
          "project_id": 43,
          "title": "[PASS] project-name #130 (master - e91e132) by Dan Sosedoff",
          "number": 130,
          "commit": "e91e132612d263d95211aae6de2df9e503f22704",
          "author": "Dan Sosedoff",
          "committer": "Dan Sosedoff",
          "message": "Commit Message",
          "branch": "master",
          "state": "finished",
          "status": "pass",
          "result": 0,
          "duration": 158,
          "duration_string": "2m 38s",
          "commit_url": "http://domain.com/commit/e91e132612d263...",
          "compare_url": null,
          "build_url": "http://magnum-ci.com/projects/43/builds/1603",
          "started_at": "2013-02-14T00:09:01-06:00",
          "finished_at": "2013-02-14T00:11:39-06:00"
        }
        """;

    public const string ShipIoJson = """
        {
           "build":{
              "id":"86db20de-32ff-467d-b139-1d0d1eb95ca7",
              "build_number":3,
              "commit_sha":"d4609e03c6059c90f9bd8b8dd6d7209c7aa769e9",
              "state":"succeeded",
              "successful":true,
              "artifacts":[
                 {
                    "id":"5f9aee35-7a02-483c-9f01-2400709fa32d",
                    "name":"ShipIO.app.zip",
                    "download_url":"https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.app.zip?build_access_token: f6596e09b7a1be4c6"
                 },
                 {
                    "id":"8f165432-7751-4b81-86ee-efa2c2363c9d",
                    "name":"ShipIO.app.dSYM.zip",
                    "download_url":"https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.app.dSYM.zip?build_access_token=f6596e09b7a1be4c6"
                 },
                 {
                    "id":"83cc567a-4cc6-47f4-a363-fde80c7c4dd3",
                    "name":"ShipIO.build.zip",
                    "download_url":"https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/ShipIO.build.zip?build_access_token=f6596e09b7a1be4c6"
                 }
              ]
           },
           "job":{
              "id":"AQ_9V0GKpZ8Zkjj_",
              "name":"shipio-example-ios",
              "repository":{
                 "name":"shipio-example-ios",
                 "selected_branch":"master",
                 "html_url":"https://github.com/shipio/shipio-example-ios",
                 "clone_url":"https://github.com/shipio/shipio-example-ios.git"
              }
           }
        }
        """;

    public static BuildEvent MagnumEvent(HookContentType contentType = HookContentType.Json)
    {
        var project = new Project
        {
            Id = 43,
            Key = "pRoJ3cTk3y_43",
            Name = "project-name",
            Repository = new Repository { Name = "project-name", SelectedBranch = "master" },
            ReportTokenHash = "unused",
        };
        var build = new Build
        {
            Id = 1603,
            Uuid = Guid.Parse("0b5c0f52-6d2f-4a8e-9d0e-3f1c2b7a9e11"),
            ProjectId = 43,
            Number = 130,
            Commit = "e91e132612d263d95211aae6de2df9e503f22704",
            Author = "Dan Sosedoff",
            Committer = "Dan Sosedoff",
            Message = "Commit Message",
            Branch = "master",
            Status = BuildStatus.Pass,
            Result = null,
            StartedAt = DateTimeOffset.Parse("2013-02-14T00:09:01-06:00", System.Globalization.CultureInfo.InvariantCulture),
            FinishedAt = DateTimeOffset.Parse("2013-02-14T00:11:39-06:00", System.Globalization.CultureInfo.InvariantCulture),
            CommitUrl = "http://domain.com/commit/e91e132612d263...",
            CompareUrl = null,
        };
        var hook = NewHook(PayloadFormat.Magnum, contentType);
        return new BuildEvent(build, project, hook, "http://magnum-ci.com/projects/43/builds/1603", []);
    }

    public static BuildEvent ShipIoEvent(HookContentType contentType = HookContentType.Json)
    {
        var project = new Project
        {
            Id = 7,
            Key = "AQ_9V0GKpZ8Zkjj_",
            Name = "shipio-example-ios",
            Repository = new Repository
            {
                Name = "shipio-example-ios",
                SelectedBranch = "master",
                HtmlUrl = "https://github.com/shipio/shipio-example-ios",
                CloneUrl = "https://github.com/shipio/shipio-example-ios.git",
            },
            ReportTokenHash = "unused",
        };
        var build = new Build
        {
            Id = 99,
            Uuid = Guid.Parse("86db20de-32ff-467d-b139-1d0d1eb95ca7"),
            ProjectId = 7,
            Number = 3,
            Commit = "d4609e03c6059c90f9bd8b8dd6d7209c7aa769e9",
            Author = "Ship Io",
            Committer = "Ship Io",
            Message = "Build the example",
            Branch = "master",
            Status = BuildStatus.Pass,
            StartedAt = new DateTimeOffset(2015, 3, 2, 10, 0, 0, TimeSpan.Zero),
            FinishedAt = new DateTimeOffset(2015, 3, 2, 10, 4, 12, TimeSpan.Zero),
        };
        const string Base = "https://ship.io/builds/86db20de-32ff-467d-b139-1d0d1eb95ca7/build_steps/s4ltNl77itaw6xIj/artifacts/";
        ArtifactLink[] artifacts =
        [
            new(Guid.Parse("5f9aee35-7a02-483c-9f01-2400709fa32d"), "ShipIO.app.zip", Base + "ShipIO.app.zip?build_access_token: f6596e09b7a1be4c6"),
            new(Guid.Parse("8f165432-7751-4b81-86ee-efa2c2363c9d"), "ShipIO.app.dSYM.zip", Base + "ShipIO.app.dSYM.zip?build_access_token=f6596e09b7a1be4c6"),
            new(Guid.Parse("83cc567a-4cc6-47f4-a363-fde80c7c4dd3"), "ShipIO.build.zip", Base + "ShipIO.build.zip?build_access_token=f6596e09b7a1be4c6"),
        ];
        var hook = NewHook(PayloadFormat.Shipio, contentType);
        return new BuildEvent(build, project, hook, "https://buildhooks.example/projects/7/builds/99", artifacts);
    }

    public static Hook NewHook(PayloadFormat format = PayloadFormat.Magnum, HookContentType contentType = HookContentType.Json) => new()
    {
        Id = 5,
        ProjectId = 43,
        Url = "https://receiver.example/hooks",
        Format = format,
        ContentType = contentType,
        Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    };
}
