using System.Net.Http.Headers;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;
using Spectre.Console;

namespace BuildHooks.Cli.Artifacts;

/// <summary>
/// Uploads a run's artifacts to its build, one file per request. A failed upload is reported and the rest go on:
/// artifacts must never change a build's outcome or its exit status.
/// </summary>
public sealed class ArtifactUploader(Screen screen, Connection connection)
{
    /// <summary>Generous for large files on slow links, but a server that stops answering does not hold CI forever.</summary>
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromHours(1);

    /// <summary>Uploads every file matching <paramref name="patterns"/>; returns how many were stored.</summary>
    public async Task<int> UploadAsync(long buildId, IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var (files, unmatched) = ArtifactGlobs.Match(screen.Context.WorkingDirectory, patterns);
        foreach (var pattern in unmatched)
        {
            screen.Note($"no file matches --artifact '{pattern}' (relative to {screen.Context.WorkingDirectory})");
        }

        if (files.Count == 0)
        {
            return 0;
        }

        using var api = new ApiClient(connection, UploadTimeout);
        var uploaded = 0;
        var later = new List<string>();
        if (Terminal() is { } console)
        {
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async progress =>
                {
                    // Lines written under a live display would tear it; they are printed once it is done.
                    var tasks = files.Select(f => progress.AddTask(Markup.Escape(Path.GetFileName(f)), autoStart: false, maxValue: Math.Max(1, new FileInfo(f).Length))).ToList();
                    for (var i = 0; i < files.Count; i++)
                    {
                        var task = tasks[i].IsIndeterminate(false);
                        task.StartTask();
                        uploaded += await UploadOneAsync(api, buildId, files[i], sent => task.Value = sent, later.Add, cancellationToken) ? 1 : 0;
                        task.StopTask();
                    }
                });
            later.ForEach(screen.Note);
        }
        else
        {
            foreach (var file in files)
            {
                screen.Note($"uploading {Path.GetRelativePath(screen.Context.WorkingDirectory, file)} ({Size(new FileInfo(file).Length)})");
                uploaded += await UploadOneAsync(api, buildId, file, _ => { }, screen.Note, cancellationToken) ? 1 : 0;
            }
        }

        screen.Note(uploaded == files.Count
            ? $"{uploaded} artifact(s) uploaded"
            : $"{files.Count - uploaded} of {files.Count} artifact(s) were NOT uploaded (see above); the build is reported all the same");
        return uploaded;
    }

    private static async Task<bool> UploadOneAsync(ApiClient api, long buildId, string file, Action<long> progress, Action<string> say, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        try
        {
            var stream = new ProgressStream(File.OpenRead(file), progress);
            using var form = new MultipartFormDataContent();
            var part = new StreamContent(stream, 81920);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
            var stored = (await api.SendContentAsync(HttpMethod.Post, $"api/builds/{buildId}/artifacts", form, cancellationToken)).Json;
            if (!string.Equals(stored.Str("sha256"), stream.Sha256(), StringComparison.Ordinal))
            {
                say($"{name}: the server's SHA-256 ({stored.Str("sha256")}) differs from what was sent ({stream.Sha256()}); the file changed while it was uploaded?");
                return false;
            }

            say($"{name}: {Size(stored.GetProperty("size").GetInt64())}, sha256 {stored.Str("sha256")}");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong with one file (refused, unreadable, a name HttpClient cannot encode), the others and the report go on.
            say($"{name} was NOT uploaded: {e.Message}");
            return false;
        }
    }

    /// <summary>A live progress display on standard error when that is a terminal; else null, and plain lines are written.</summary>
    private IAnsiConsole? Terminal() =>
        ReferenceEquals(screen.Context.Error, Console.Error) && !Console.IsErrorRedirected
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            : null;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GB",
    };
}
