using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services;

/// <summary>Absolute links to this server's pages (build_url), on BuildHooks:PublicUrl or the first listening address.</summary>
public sealed class PublicUrls(IOptions<ServerOptions> options, IServer server, IHostApplicationLifetime lifetime)
{
    private string? _listening;

    public string Base
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
            {
                return options.Value.PublicUrl.TrimEnd('/');
            }

            if (_listening is { } known)
            {
                return known;
            }

            var address = FirstAddress();
            // Remembered once the server has started (a port 0 bind is only known then): every report asks,
            // and reading the address list takes a lock.
            if (lifetime.ApplicationStarted.IsCancellationRequested)
            {
                _listening = address;
            }

            return address;
        }
    }

    public string Project(long projectId) => $"{Base}/projects/{projectId}";

    public string Build(long projectId, long buildId) => $"{Base}/projects/{projectId}/builds/{buildId}";

    private string FirstAddress()
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        // A wildcard bind is not an address anyone can open.
        return first.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
