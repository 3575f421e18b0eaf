using System.Text.Json;

namespace BuildHooks.Cli.Api;

/// <summary>The server and token saved by <c>buildhooks login</c>, readable only by the user (mode 600).</summary>
public sealed record Profile(string Url, string Token)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathIn(CliContext context) => Path.Combine(context.ConfigDirectory, "profile.json");

    public static Profile? Load(CliContext context)
    {
        var path = PathIn(context);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Profile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new UsageException($"The profile {path} is not valid JSON ({e.Message}); run 'buildhooks login' again.");
        }
    }

    public async Task<string> SaveAsync(CliContext context, CancellationToken cancellationToken)
    {
        var path = PathIn(context);
        PrivateFiles.CreateDirectory(context.ConfigDirectory);
        await PrivateFiles.WriteAsync(path, JsonSerializer.Serialize(this, Json), cancellationToken);
        return path;
    }
}
