using System.Globalization;
using System.Text.Json;
using BuildHooks.Cli.Api;

namespace BuildHooks.Cli.Running;

/// <summary>Reports kept on disk (one JSON file each, mode 600) until <c>buildhooks builds flush</c> sends them.</summary>
public sealed class BuildSpool(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Directory { get; } = directory;

    public async Task<string> KeepAsync(SpooledReport report, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(Directory);
        var name = $"{report.SpooledAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}.json";
        var path = System.IO.Path.Combine(Directory, name);
        await PrivateFiles.WriteAsync(path, JsonSerializer.Serialize(report, Json), cancellationToken);
        return path;
    }

    /// <summary>
    /// Every kept report, oldest first, so builds reach the server in the order they ran; and the files that are not
    /// readable reports (cut short by a full disk, edited by hand), each with why, so one of them cannot hold up the rest.
    /// </summary>
    public async Task<(IReadOnlyList<(string Path, SpooledReport Report)> Reports, IReadOnlyList<(string Path, string Problem)> Unreadable)> ReadAllAsync(
        CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return ([], []);
        }

        var reports = new List<(string, SpooledReport)>();
        var unreadable = new List<(string, string)>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var report = JsonSerializer.Deserialize<SpooledReport>(await File.ReadAllTextAsync(path, cancellationToken), Json);
                if (report is { Server: not null, Body: not null, ProjectId: > 0 })
                {
                    reports.Add((path, report));
                }
                else
                {
                    unreadable.Add((path, "it is not a kept build report (no server, project or body)"));
                }
            }
            catch (JsonException e)
            {
                unreadable.Add((path, $"it is not valid JSON ({e.Message})"));
            }
        }

        return (reports, unreadable);
    }
}
