using System.Net.Http.Headers;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Artifact uploads as clients send them: a normal multipart form, or a hand-made one whose file name is exactly what a hostile client would put there.</summary>
public static class ArtifactUploads
{
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, long buildId, string fileName, byte[] content, string? token = null, string? contentType = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        if (contentType is not null)
        {
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/builds/{buildId}/artifacts", UriKind.Relative)) { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A form whose Content-Disposition carries <paramref name="fileNameParameter"/> verbatim (HttpClient would quote or encode it), e.g. <c>filename="../x"</c>.</summary>
    public static async Task<HttpResponseMessage> UploadRawAsync(HttpClient client, long buildId, string fileNameParameter, byte[] content)
    {
        const string boundary = "buildhooks-test-boundary";
        using var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {fileNameParameter}\r\nContent-Type: application/octet-stream\r\n\r\n"));
        body.Write(content);
        body.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n"));
        return await client.SendRawAsync(HttpMethod.Post, $"/api/builds/{buildId}/artifacts", body.ToArray(), $"multipart/form-data; boundary={boundary}");
    }

    /// <summary>Opens a running build (with the admin token) and returns its id.</summary>
    public static async Task<long> OpenBuildAsync(BuildHooksServer server, long projectId, DateTimeOffset? startedAt = null)
    {
        var build = await server.PostAsync($"/api/projects/{projectId}/builds", new
        {
            commit = "e91e132612d263d95211aae6de2df9e503f22704",
            author = "Dan Sosedoff",
            message = "Commit Message",
            branch = "master",
            status = "running",
            started_at = startedAt ?? DateTimeOffset.UtcNow.AddSeconds(-30),
        });
        return build.GetProperty("id").GetInt64();
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
