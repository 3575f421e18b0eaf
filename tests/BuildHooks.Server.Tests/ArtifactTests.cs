using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using static BuildHooks.Server.Tests.ArtifactUploads;

namespace BuildHooks.Server.Tests;

/// <summary>Artifacts: uploaded while a build runs, listed in its payloads, downloaded by receivers with the build's access token.</summary>
public sealed class ArtifactTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task Shipio_and_standard_receivers_get_the_artifacts_and_download_each_through_its_download_url()
    {
        await using var shipio = await Receiver.StartAsync();
        await using var standard = await Receiver.StartAsync();
        var (projectId, reportToken) = await Server.CreateProjectAsync("shipio-example-ios");
        await Server.CreateHookAsync(projectId, new { url = shipio.Url, format = "shipio", content_type = "json" });
        await Server.CreateHookAsync(projectId, new { url = standard.Url, format = "standard", content_type = "json" });
        var buildId = await OpenBuildAsync(Server, projectId);
        // Larger than the server's 1 MB limit for JSON bodies: the upload endpoint has its own.
        var files = new Dictionary<string, byte[]>
        {
            ["app.ipa"] = RandomBytes(3 * 1024 * 1024 + 17),
            ["report.txt"] = Encoding.UTF8.GetBytes("all 42 tests passed\n"),
        };

        // CI uploads with the project's report token.
        using (var ipa = await UploadAsync(Server.Anonymous, buildId, "app.ipa", files["app.ipa"], reportToken))
        {
            var created = await BuildHooksServer.ReadAsync(ipa, HttpStatusCode.Created);
            Assert.Equal(files["app.ipa"].Length, created.GetProperty("size").GetInt64());
            Assert.Equal(Sha256(files["app.ipa"]), created.GetProperty("sha256").GetString());
        }

        using (var report = await UploadAsync(Server.Anonymous, buildId, "dist/report.txt", files["report.txt"], reportToken, "text/plain"))
        {
            Assert.Equal("report.txt", (await BuildHooksServer.ReadAsync(report, HttpStatusCode.Created)).GetProperty("name").GetString());
        }

        var listed = await Server.GetAsync($"/api/builds/{buildId}/artifacts");
        Assert.Equal(["app.ipa", "report.txt"], listed.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("text/plain", listed[1].GetProperty("content_type").GetString());
        Assert.Equal(files["report.txt"].Length, listed[1].GetProperty("size").GetInt64());

        await Server.PatchAsync($"/api/builds/{buildId}", new { status = "pass" });

        var shipioPayload = JsonDocument.Parse((await shipio.WaitForAsync(1))[0].Body).RootElement;
        var artifacts = shipioPayload.GetProperty("build").GetProperty("artifacts");
        Assert.Equal(2, artifacts.GetArrayLength());
        foreach (var artifact in artifacts.EnumerateArray())
        {
            var name = artifact.GetProperty("name").GetString()!;
            var url = artifact.GetProperty("download_url").GetString()!;
            Assert.StartsWith($"{Server.BaseUrl}/builds/{shipioPayload.GetProperty("build").GetProperty("id").GetString()}/artifacts/{artifact.GetProperty("id").GetString()}/{name}?build_access_token=", url, StringComparison.Ordinal);

            // What a receiver does: a plain GET of the URL, no other credential.
            using var http = new HttpClient();
            using var download = await http.GetAsync(new Uri(url));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.Equal(Sha256(files[name]), Sha256(bytes));
            Assert.Equal(files[name].Length, download.Content.Headers.ContentLength);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        }

        var standardBuild = JsonDocument.Parse((await standard.WaitForAsync(1))[0].Body).RootElement.GetProperty("data").GetProperty("build");
        Assert.Equal(
            artifacts.EnumerateArray().Select(a => a.GetProperty("download_url").GetString()),
            standardBuild.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("download_url").GetString()));
    }

    [Fact]
    public async Task A_build_reported_finished_has_no_artifacts_and_takes_no_uploads()
    {
        await using var receiver = await Receiver.StartAsync();
        var (projectId, reportToken) = await Server.CreateProjectAsync("finished-at-once");
        await Server.CreateHookAsync(projectId, new { url = receiver.Url, format = "shipio", content_type = "json" });

        var build = await Server.ReportBuildAsync(projectId);

        var payload = JsonDocument.Parse((await receiver.WaitForAsync(1))[0].Body).RootElement;
        Assert.Equal(0, payload.GetProperty("build").GetProperty("artifacts").GetArrayLength());
        using var late = await UploadAsync(Server.Anonymous, build.GetProperty("id").GetInt64(), "app.zip", [1, 2, 3], reportToken);
        await ApiProblemAssert.IsProblemAsync(late, HttpStatusCode.Conflict, "running");
    }

    [Fact]
    public async Task Wrong_missing_and_another_builds_token_are_refused_with_403()
    {
        var (projectId, _) = await Server.CreateProjectAsync("tokens");
        var mine = await UploadedAsync(projectId, "mine.zip");
        var theirs = await UploadedAsync(projectId, "theirs.zip");
        using var http = new HttpClient();

        using (var ok = await http.GetAsync(new Uri(mine.Url)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var withoutToken = mine.Url[..mine.Url.IndexOf('?', StringComparison.Ordinal)];
        var cases = new Dictionary<string, string>
        {
            ["missing"] = withoutToken,
            ["empty"] = withoutToken + "?build_access_token=",
            ["wrong"] = withoutToken + "?build_access_token=" + new string('A', mine.Token.Length),
            ["another build's"] = withoutToken + "?build_access_token=" + theirs.Token,
        };
        foreach (var (what, url) in cases)
        {
            using var refused = await http.GetAsync(new Uri(url));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"The {what} token was not refused: {(int)refused.StatusCode}");
            await ApiProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "token");
        }

        // My build's token with their artifact's id under my build: not one of my build's files.
        var crossed = mine.Url.Replace(mine.ArtifactId, theirs.ArtifactId, StringComparison.Ordinal).Replace("/mine.zip?", "/theirs.zip?", StringComparison.Ordinal);
        using var cross = await http.GetAsync(new Uri(crossed));
        await ApiProblemAssert.IsProblemAsync(cross, HttpStatusCode.NotFound);

        using var unknown = await http.GetAsync(new Uri(mine.Url.Replace(mine.ArtifactId, Guid.NewGuid().ToString(), StringComparison.Ordinal)));
        await ApiProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Token_of_a_build_that_finished_longer_ago_than_the_lifetime_is_refused_as_expired()
    {
        var (projectId, _) = await Server.CreateProjectAsync("expiry");
        var finishedAt = DateTimeOffset.UtcNow.AddDays(-7).AddMinutes(-1); // the default lifetime is 7 days
        var old = await UploadedAsync(projectId, "old.zip", finishedAt);
        var fresh = await UploadedAsync(projectId, "fresh.zip");
        using var http = new HttpClient();

        using var expired = await http.GetAsync(new Uri(old.Url));
        await ApiProblemAssert.IsProblemAsync(expired, HttpStatusCode.Forbidden, "expired", "TokenLifetime");
        using var ok = await http.GetAsync(new Uri(fresh.Url));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("filename=\"../x\"")]
    [InlineData("filename=\"..\\\\x\"")]
    [InlineData("filename=\"a/../../x\"")]
    [InlineData("filename=\"/etc/passwd\"")]
    [InlineData("filename=\"C:\\\\x\"")]
    [InlineData("filename=\"..\"")]
    [InlineData("filename=\"dist/\"")]
    [InlineData("filename=\"\"")]
    [InlineData("filename*=UTF-8''..%2F..%2Fx")]
    [InlineData("filename*=UTF-8''a%01b.zip")]
    [InlineData("filename*=UTF-8''evil%E2%80%AEgpj.exe")]
    public async Task Traversal_and_unusable_names_are_refused_and_nothing_is_written(string fileName)
    {
        var (projectId, _) = await Server.CreateProjectAsync("names");
        var buildId = await OpenBuildAsync(Server, projectId);
        var before = Files();

        using var response = await UploadRawAsync(Server.Admin, buildId, fileName, Encoding.UTF8.GetBytes("owned"));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, Files());
        Assert.Empty((await Server.GetAsync($"/api/builds/{buildId}/artifacts")).EnumerateArray());
    }

    [Fact]
    public async Task Directories_in_a_name_are_dropped()
    {
        var (projectId, _) = await Server.CreateProjectAsync("dirs");
        var buildId = await OpenBuildAsync(Server, projectId);

        using var response = await UploadRawAsync(Server.Admin, buildId, "filename=\"build/reports/coverage.json\"", "{}"u8.ToArray());

        var created = await BuildHooksServer.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("coverage.json", created.GetProperty("name").GetString());
        Assert.Equal("application/json", created.GetProperty("content_type").GetString()); // guessed from the extension
    }

    [Fact]
    public async Task Range_request_gets_206_with_exactly_the_requested_bytes()
    {
        var (projectId, _) = await Server.CreateProjectAsync("range");
        var content = RandomBytes(100_000);
        var artifact = await UploadedAsync(projectId, "big.bin", content: content);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, artifact.Url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[1000..2000], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, response.Content.Headers.ContentRange?.From);
        Assert.Equal(content.Length, response.Content.Headers.ContentRange?.Length);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task ETag_is_the_sha256_and_a_matching_If_None_Match_gets_304()
    {
        var (projectId, _) = await Server.CreateProjectAsync("etag");
        var content = Encoding.UTF8.GetBytes("{\"coverage\": 93.1}");
        var artifact = await UploadedAsync(projectId, "coverage.json", content: content);
        using var http = new HttpClient();

        using var first = await http.GetAsync(new Uri(artifact.Url));
        Assert.Equal($"\"{Sha256(content)}\"", first.Headers.ETag?.Tag);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());

        using var again = new HttpRequestMessage(HttpMethod.Get, artifact.Url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_over_the_configured_limit_is_413_whether_its_length_is_declared_or_not()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?> { ["BuildHooks:Artifacts:MaxBytes"] = "1000" });
        var (projectId, _) = await server.CreateProjectAsync("limit");
        var buildId = await OpenBuildAsync(server, projectId);

        using var declared = await UploadAsync(server.Admin, buildId, "big.zip", RandomBytes(1001));
        await ApiProblemAssert.IsProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge, "1000", "BuildHooks:Artifacts:MaxBytes");

        // Chunked: no length up front, so the server must count while it streams.
        using var form = new MultipartFormDataContent { { new StreamContent(new UnseekableStream(RandomBytes(5000))), "file", "big.zip" } };
        using var chunked = await server.Admin.PostAsync(new Uri($"/api/builds/{buildId}/artifacts", UriKind.Relative), form);
        await ApiProblemAssert.IsProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "BuildHooks:Artifacts:MaxBytes");

        using var fits = await UploadAsync(server.Admin, buildId, "small.zip", RandomBytes(1000));
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "artifacts"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Uploads_need_the_builds_own_project_token_a_form_and_a_file()
    {
        var (projectId, _) = await Server.CreateProjectAsync("mine");
        var (_, otherToken) = await Server.CreateProjectAsync("other");
        var buildId = await OpenBuildAsync(Server, projectId);

        using var anonymous = await UploadAsync(Server.Anonymous, buildId, "a.zip", [1]);
        await ApiProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        using var other = await UploadAsync(Server.Anonymous, buildId, "a.zip", [1], otherToken);
        await ApiProblemAssert.IsProblemAsync(other, HttpStatusCode.Forbidden, "own project");
        using var listOther = await Server.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/builds/{buildId}/artifacts") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", otherToken) } });
        await ApiProblemAssert.IsProblemAsync(listOther, HttpStatusCode.Forbidden);
        using var json = await Server.Admin.SendRawAsync(HttpMethod.Post, $"/api/builds/{buildId}/artifacts", "{}");
        await ApiProblemAssert.IsProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "multipart/form-data");
        using var noFile = await Server.Admin.PostAsync(new Uri($"/api/builds/{buildId}/artifacts", UriKind.Relative),
            new MultipartFormDataContent { { new StringContent("x"), "note" } });
        await ApiProblemAssert.IsProblemAsync(noFile, HttpStatusCode.BadRequest, "file");
        using var unknown = await UploadAsync(Server.Admin, 999_999, "a.zip", [1]);
        await ApiProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_project_removes_its_artifact_files_and_leaves_the_others()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?> { ["BuildHooks:Artifacts:SweepInterval"] = "00:00:00.200" });
        var (doomed, _) = await server.CreateProjectAsync("doomed");
        var (kept, _) = await server.CreateProjectAsync("kept");
        var doomedBuild = await OpenBuildAsync(server, doomed);
        var keptBuild = await OpenBuildAsync(server, kept);
        using (var a = await UploadAsync(server.Admin, doomedBuild, "a.zip", [1, 2, 3]))
        using (var b = await UploadAsync(server.Admin, keptBuild, "b.zip", [4, 5, 6]))
        {
            Assert.Equal(HttpStatusCode.Created, a.StatusCode);
            Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        }

        var doomedFolder = Path.Combine(server.DataDirectory, "artifacts", (await server.GetAsync($"/api/builds/{doomedBuild}")).GetProperty("uuid").GetString()!);
        var keptFolder = Path.Combine(server.DataDirectory, "artifacts", (await server.GetAsync($"/api/builds/{keptBuild}")).GetProperty("uuid").GetString()!);
        Assert.True(Directory.Exists(doomedFolder), doomedFolder);

        using var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{doomed}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.Exists(doomedFolder))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{doomedFolder} is still there 20 s after its project was deleted.");
            await Task.Delay(50);
        }

        Assert.Single(Directory.GetFiles(keptFolder));
    }

    private sealed record Uploaded(string Url, string ArtifactId, string Token);

    /// <summary>A build with one artifact, finished at <paramref name="finishedAt"/> (now by default); its download URL.</summary>
    private async Task<Uploaded> UploadedAsync(long projectId, string name, DateTimeOffset? finishedAt = null, byte[]? content = null)
    {
        var buildId = await OpenBuildAsync(Server, projectId, (finishedAt ?? DateTimeOffset.UtcNow).AddMinutes(-5));
        using var upload = await UploadAsync(Server.Admin, buildId, name, content ?? RandomBytes(64));
        var artifact = await BuildHooksServer.ReadAsync(upload, HttpStatusCode.Created);
        await Server.PatchAsync($"/api/builds/{buildId}", new { status = "pass", finished_at = finishedAt ?? DateTimeOffset.UtcNow });
        var url = artifact.GetProperty("download_url").GetString()!;
        return new Uploaded(url, artifact.GetProperty("id").GetString()!, url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }

    private string[] Files()
    {
        var root = Path.Combine(Server.DataDirectory);
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("buildhooks.db", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
