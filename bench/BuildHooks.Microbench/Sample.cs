using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Microbench;

/// <summary>
/// One finished build as CI reports it (a two-line message, a non-ASCII author, three artifacts) with its project, and
/// hooks the way people fill in the form: triggers, branch globs, a custom header with a credential.
/// </summary>
internal static class Sample
{
    public const string Secret = "whsec_l7BWAoDtYKWh6qG8RUklQ8iphq1aJbRoxCfrg8PogZE=";
    public const string PreviousSecret = "whsec_baBjNSjeqgFE57BYMV8LdT7AuUUWOnK/lqDRgYD53g0=";
    public const string WebhookId = "msg_0198c3a5b2e47c21a0f3d58e9b6a4c10";
    public const long Timestamp = 1_764_072_000;

    public static readonly DateTimeOffset Now = new(2025, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static Project Project() => new()
    {
        Id = 12,
        Key = "Xk3_pQ7vR2mW9tYz",
        Name = "acme-mobile",
        Repository = new Repository
        {
            Name = "acme-mobile",
            SelectedBranch = "main",
            HtmlUrl = "https://git.acme.example/mobile/acme-mobile",
            CloneUrl = "https://git.acme.example/mobile/acme-mobile.git",
        },
        ReportTokenHash = "unused",
    };

    public static Build Build() => new()
    {
        Id = 130_412,
        Uuid = Guid.Parse("3f0c9a4e-58d1-4b7e-a2c6-91e04d7b5f23"),
        ProjectId = 12,
        Number = 1_284,
        Commit = "7c41e9b2d08f5a63e1c4b9a07d2f8e6153ab90cd",
        Author = "José Álvarez",
        Committer = "GitHub",
        Message = "Fix the upload retry (#412)\n\nThe artifact upload gave up after one 503 & lost the build's dSYM.",
        Branch = "release/2.4",
        Status = BuildStatus.Fail,
        Result = 1,
        StartedAt = Now.AddSeconds(-158),
        FinishedAt = Now,
        CommitUrl = "https://git.acme.example/mobile/acme-mobile/commit/7c41e9b2d08f5a63e1c4b9a07d2f8e6153ab90cd",
        CompareUrl = "https://git.acme.example/mobile/acme-mobile/compare/a1b2c3d...7c41e9b",
    };

    public static Hook Hook(PayloadFormat format = PayloadFormat.Standard, HookContentType contentType = HookContentType.Json) => new()
    {
        Id = 31,
        ProjectId = 12,
        Url = "https://hooks.example.com/ci/builds?team=mobile&token=s3cr3t",
        Format = format,
        ContentType = contentType,
        Triggers = [HookTrigger.Fail, HookTrigger.Fixed],
        Branches = ["main", "release/*"],
        Headers = new() { ["Authorization"] = "Bearer hunter2", ["X-Team"] = "mobile" },
        Secret = Secret,
    };

    public static BuildEvent Event(PayloadFormat format, HookContentType contentType)
    {
        const string Downloads = "https://buildhooks.example/builds/3f0c9a4e-58d1-4b7e-a2c6-91e04d7b5f23/artifacts/";
        ArtifactLink[] artifacts =
        [
            new(Guid.Parse("c2d81f6a-0b3e-4f59-8a7d-6e1b94c03f58"), "AcmeMobile.ipa", Downloads + "c2d81f6a?token=q0TLHZ8bBq2yKk1tPZzN4w"),
            new(Guid.Parse("e7a4b093-5c12-4d8e-b6f1-2a9d80c7e314"), "AcmeMobile.app.dSYM.zip", Downloads + "e7a4b093?token=q0TLHZ8bBq2yKk1tPZzN4w"),
            new(Guid.Parse("4b96e2d1-f3a8-47c0-9e25-d18c6a0b7f49"), "test-results.xml", Downloads + "4b96e2d1?token=q0TLHZ8bBq2yKk1tPZzN4w"),
        ];
        return new BuildEvent(Build(), Project(), Hook(format, contentType), "https://buildhooks.example/projects/12/builds/130412", artifacts);
    }

    /// <summary>What a Standard hook's receiver gets for <see cref="Event"/>: the body that is signed and sent.</summary>
    public static byte[] StandardBody() => PayloadRenderer.Render(Event(PayloadFormat.Standard, HookContentType.Json), Now).Body;
}
