namespace BuildHooks.Cli.Api;

/// <summary>Which server to talk to and with which token (admin or a project's report token).</summary>
public sealed record Connection(Uri Server, string Token)
{
    /// <summary>Flags win over BUILDHOOKS_URL / BUILDHOOKS_TOKEN, which win over the login profile.</summary>
    public static Connection Resolve(string? url, string? token, CliContext context)
    {
        url ??= context.Env("BUILDHOOKS_URL");
        token ??= context.Env("BUILDHOOKS_TOKEN");
        if (url is null || token is null)
        {
            var profile = Profile.Load(context);
            url ??= profile?.Url;
            token ??= profile?.Token;
        }

        if (url is null)
        {
            throw new UsageException("No server address: pass --url, set BUILDHOOKS_URL, or run 'buildhooks login --url <url> --token <token>' once.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"'{url}' is not an http or https URL; give the server's address, such as http://127.0.0.1:8080.");
        }

        if (token is null)
        {
            throw new UsageException("No token: pass --token, set BUILDHOOKS_TOKEN, or run 'buildhooks login --url <url> --token <token>' once.");
        }

        // A trailing slash keeps a path prefix (https://ci.example.com/buildhooks/) when API paths are resolved against it.
        return new Connection(server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"), token);
    }
}
