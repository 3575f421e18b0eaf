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

    /// <summary>Every kept report, oldest first, so builds reach the server in the order they ran.</summary>
    public async Task<IReadOnlyList<(string Path, SpooledReport Report)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var reports = new List<(string, SpooledReport)>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            var report = JsonSerializer.Deserialize<SpooledReport>(await File.ReadAllTextAsync(path, cancellationToken), Json)
                ?? throw new UsageException($"The spooled report {path} is empty; delete it.");
            reports.Add((path, report));
        }

        return reports;
    }
}
