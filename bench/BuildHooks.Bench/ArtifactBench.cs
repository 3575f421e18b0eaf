using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace BuildHooks.Bench;

/// <summary>
/// <c>--artifact-mb N</c>: uploads an N MB artifact to a server child process and downloads it again through
/// its download_url, and prints the server's peak resident memory (the kernel's VmHWM) before and after. The
/// server streams both ways, so the peak should not grow with N. Neither side here holds the file either:
/// the bytes are generated while they are sent and hashed while they arrive.
/// </summary>
public static class ArtifactBench
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/BuildHooks.Bench -- --artifact-mb N [--server-dll PATH]

          --artifact-mb N    size of the artifact to upload and download, in MB (e.g. 500)
          --server-dll PATH  a built BuildHooks.Server.dll (default: build src/BuildHooks.Server in Release)
        """;

    private const int Chunk = 1024 * 1024;

    public static bool Wants(string[] args) => args.Contains("--artifact-mb", StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        if (!TryParse(args, out var megabytes, out var dll))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        dll ??= await ServerBuild.BuildAsync(ct);
        var bytes = megabytes * 1024L * 1024;
        // The server's own limit must let the file in; everything else is the default configuration.
        await using var server = ServerProcess.Start(dll, new Dictionary<string, string> { ["BuildHooks__Artifacts__MaxBytes"] = (bytes + Chunk).ToString(CultureInfo.InvariantCulture) });
        Console.Error.WriteLine($"server pid {server.Id} at {server.BaseAddress}");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        await server.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);

        var buildId = await OpenBuildAsync(http, ct);
        // A small round trip first, so that start-up and JIT are in the baseline and not counted against the big file.
        await RoundTripAsync(http, buildId, 4L * 1024 * 1024, ct, () => { });
        var baseline = server.Stats().PeakWorkingSetBytes;

        var afterUpload = 0L;
        var (upload, download, sha) = await RoundTripAsync(http, buildId, bytes, ct, () => afterUpload = server.Stats().PeakWorkingSetBytes);
        var peak = server.Stats().PeakWorkingSetBytes;

        Console.WriteLine();
        Console.WriteLine($"artifact                 {megabytes:N0} MB, sha256 {sha[..16]}... (matches after download)");
        Console.WriteLine($"upload                   {upload.TotalSeconds:0.0} s ({megabytes / upload.TotalSeconds:0} MB/s)");
        Console.WriteLine($"download                 {download.TotalSeconds:0.0} s ({megabytes / download.TotalSeconds:0} MB/s)");
        Console.WriteLine($"server peak RSS (VmHWM)  {Mb(baseline)} after a 4 MB warm-up, {Mb(afterUpload)} after the upload, {Mb(peak)} after the download (+{Mb(peak - baseline)} in all)");
        return 0;
    }

    private static async Task<(TimeSpan Upload, TimeSpan Download, string Sha256)> RoundTripAsync(HttpClient http, long buildId, long bytes, CancellationToken ct, Action uploaded)
    {
        var started = Stopwatch.GetTimestamp();
        using var source = new GeneratedStream(bytes);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(source, Chunk);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", $"bench-{bytes}.bin");
        using var stored = await http.PostAsync($"api/builds/{buildId}/artifacts", form, ct);
        var artifact = await stored.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (!stored.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"upload failed: {(int)stored.StatusCode} {artifact}");
        }

        var uploadTime = Stopwatch.GetElapsedTime(started);
        var sent = source.Sha256();
        if (artifact.GetProperty("sha256").GetString() != sent)
        {
            throw new InvalidOperationException($"the server stored sha256 {artifact.GetProperty("sha256")} but {sent} was sent");
        }

        uploaded();
        started = Stopwatch.GetTimestamp();
        using var anonymous = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var response = await anonymous.GetAsync(artifact.GetProperty("download_url").GetString(), HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var received = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, ct));
        if (received != sent)
        {
            throw new InvalidOperationException($"downloaded sha256 {received}, uploaded {sent}");
        }

        return (uploadTime, Stopwatch.GetElapsedTime(started), sent);
    }

    private static async Task<long> OpenBuildAsync(HttpClient http, CancellationToken ct)
    {
        using var project = await http.PostAsJsonAsync("api/projects", new { name = "artifact-bench", repository = new { name = "artifact-bench", selected_branch = "main" } }, ct);
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
        using var build = await http.PostAsJsonAsync($"api/projects/{projectId}/builds",
            new { commit = "e91e132612d263d95211aae6de2df9e503f22704", branch = "main", status = "running", started_at = DateTimeOffset.UtcNow }, ct);
        return (await build.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
    }

    private static bool TryParse(string[] args, out int megabytes, out string? dll)
    {
        megabytes = 0;
        dll = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--artifact-mb" when i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0:
                    megabytes = mb;
                    break;
                case "--server-dll" when i + 1 < args.Length && File.Exists(args[i + 1]):
                    dll = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete option {args[i]}");
                    return false;
            }
        }

        return megabytes > 0;
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024:0.0} MB";
}
