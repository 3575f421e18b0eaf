using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BuildHooks.Cli.Tests.Infrastructure;

namespace BuildHooks.Cli.Tests;

/// <summary>buildhooks run --artifact end to end: a real server, a real shipio receiver that downloads what it is sent, a real git repository and real commands.</summary>
public sealed class RunArtifactTests(TestServer server) : IClassFixture<TestServer>, IAsyncLifetime
{
    private GitRepository _repository = null!;
    private Receiver _receiver = null!;
    private Infrastructure.Cli _admin = null!;
    private Infrastructure.Cli _ci = null!;
    private string _projectId = "";
    private string _projectKey = "";

    public async Task InitializeAsync()
    {
        _repository = await GitRepository.CreateAsync();
        _receiver = await Receiver.StartAsync("/hook");
        _admin = Infrastructure.Cli.For(server.Url, _repository.Directory);
        var project = await _admin.JsonAsync("projects", "add", "--name", "shipio-example-ios", "--repository-url", "https://github.com/shipio/shipio-example-ios");
        _projectId = project.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        _projectKey = project.GetProperty("key").GetString()!;
        await _admin.JsonAsync("hooks", "add", "--project", _projectId, _receiver.Url, "--format", "shipio", "--content-type", "json");
        // CI runs with the project's report token, as the README tells it to.
        _ci = _admin.With("BUILDHOOKS_TOKEN", project.GetProperty("report_token").GetString()!);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _repository.Dispose();
    }

    [Fact]
    public async Task Passing_run_uploads_the_matching_files_and_the_receiver_downloads_each_through_its_download_url()
    {
        var run = await _ci.RunAsync("run", "--project", _projectKey, "--artifact", "dist/*.zip", "--artifact", "**/*.log", "--",
            "sh", "-c", "mkdir -p dist logs/unit && head -c 300000 /dev/urandom > dist/app.zip && echo notes > dist/notes.txt && echo '42 passed' > logs/unit/test.log");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("2 artifact(s) uploaded", run.Error, StringComparison.Ordinal);
        var build = (await _receiver.NextAsync()).Payload.GetProperty("build");
        Assert.Equal("succeeded", build.GetProperty("state").GetString());
        await AssertDownloadsAsync(build, new() { ["app.zip"] = "dist/app.zip", ["test.log"] = "logs/unit/test.log" });
    }

    [Fact]
    public async Task Failing_run_still_uploads_its_artifacts_and_exits_with_the_commands_status()
    {
        var run = await _ci.RunAsync("run", "--project", _projectId, "--artifact", "*.log", "--", "sh", "-c", "echo 'boom at line 3' > crash.log; exit 4");

        Assert.Equal(4, run.ExitCode);
        var build = (await _receiver.NextAsync()).Payload.GetProperty("build");
        Assert.Equal("failed", build.GetProperty("state").GetString());
        await AssertDownloadsAsync(build, new() { ["crash.log"] = "crash.log" });
    }

    [Fact]
    public async Task A_refused_upload_is_reported_and_the_build_is_still_finished_with_the_commands_status()
    {
        // The server refuses names with control characters; the other file goes up, the build is reported.
        var run = await _ci.RunAsync("run", "--project", _projectId, "--artifact", "out/*", "--artifact", "missing/*.zip", "--",
            "sh", "-c", "mkdir -p out && echo ok > out/good.txt && echo bad > \"out/bad$(printf '\\001')name.txt\"");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("NOT uploaded", run.Error, StringComparison.Ordinal);
        Assert.Contains("no file matches --artifact 'missing/*.zip'", run.Error, StringComparison.Ordinal);
        var build = (await _receiver.NextAsync()).Payload.GetProperty("build");
        Assert.Equal("succeeded", build.GetProperty("state").GetString());
        await AssertDownloadsAsync(build, new() { ["good.txt"] = "out/good.txt" });
    }

    [Fact]
    public async Task Builds_artifacts_lists_name_size_sha256_and_download_url()
    {
        var run = await _ci.RunAsync("run", "--project", _projectId, "--json", "--artifact", "report.txt", "--", "sh", "-c", "echo report > report.txt");
        Assert.True(run.ExitCode == 0, run.Error);
        var buildId = run.Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await _receiver.NextAsync();

        var listed = Assert.Single((await _admin.JsonAsync("builds", "artifacts", buildId)).EnumerateArray());
        Assert.Equal("report.txt", listed.GetProperty("name").GetString());
        Assert.Equal(7, listed.GetProperty("size").GetInt64());
        Assert.Equal(Sha256File("report.txt"), listed.GetProperty("sha256").GetString());

        var table = await _admin.RunAsync("builds", "artifacts", buildId);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("report.txt", table.Output, StringComparison.Ordinal);
        Assert.Contains(listed.GetProperty("download_url").GetString()!, table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_project_key_is_said_clearly_and_the_command_still_runs_with_its_status()
    {
        var run = await _ci.RunAsync("run", "--project", "no-such-key", "--", "sh", "-c", "exit 6");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("no project with key 'no-such-key'", run.Error, StringComparison.Ordinal);
        Assert.Contains("will NOT be reported", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_server_keeps_the_exit_status_and_says_the_artifacts_and_a_key_only_report_were_not_sent()
    {
        var down = _ci.With("BUILDHOOKS_URL", "http://127.0.0.1:1");

        var run = await down.RunAsync("run", "--project", _projectKey, "--artifact", "*.log", "--", "sh", "-c", "echo x > a.log; exit 3");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("artifacts were NOT uploaded", run.Error, StringComparison.Ordinal);
        Assert.Contains("THE BUILD REPORT WAS NOT SENT and cannot be kept", run.Error, StringComparison.Ordinal);
        Assert.Contains("numeric id", run.Error, StringComparison.Ordinal);
    }

    /// <summary>What the receiver does with a shipio payload: GET every download_url and check the bytes against the files the command wrote.</summary>
    private async Task AssertDownloadsAsync(JsonElement build, Dictionary<string, string> expected)
    {
        var artifacts = build.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), artifacts.Select(a => a.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        using var http = new HttpClient();
        foreach (var artifact in artifacts)
        {
            var url = artifact.GetProperty("download_url").GetString()!;
            Assert.Contains("build_access_token=", url, StringComparison.Ordinal);
            var bytes = await http.GetByteArrayAsync(new Uri(url));
            Assert.Equal(Sha256File(expected[artifact.GetProperty("name").GetString()!]), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    private string Sha256File(string relative) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_repository.Directory, relative))));
}
