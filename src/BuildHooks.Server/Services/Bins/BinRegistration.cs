using BuildHooks.Delivery.Network;
using BuildHooks.Server.Apis;
using BuildHooks.Server.Web;
using BuildHooks.Server.Web.Bins;
using BuildHooks.Storage.Retention;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BuildHooks.Server.Services.Bins;

public static class BinRegistration
{
    /// <summary>Request bins: their settings, the store, the live signal and the pruning of expired bins.</summary>
    public static IServiceCollection AddRequestBins(this IServiceCollection services)
    {
        services.AddOptions<BinOptions>().BindConfiguration(BinOptions.Section);
        services.AddScoped<BinStore>();
        services.AddScoped<BinPruner>();
        services.AddSingleton<BinUrls>();
        services.AddSingleton<BinSignal>();
        services.AddHostedService<BinRetention>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, BinRateLimit>(BinRateLimit.Name));
        return services;
    }

    /// <summary>The API, the capture URL, the bin page's live stream, and the exception that lets hooks reach the bins.</summary>
    public static void MapRequestBins(this WebApplication app)
    {
        app.MapBinsApi();
        app.MapGet("/web/bins/{key}/events", BinEvents.StreamAsync).RequireAuthorization(WebInterface.Policy).ExcludeFromDescription();
        app.AllowDeliveriesToOwnBins();
    }

    /// <summary>
    /// Once the server listens, tells the outbound guard which origins are this server's own, so hooks may
    /// reach its bins: the public URL and every listening address (a wildcard bind counts as localhost).
    /// </summary>
    private static void AllowDeliveriesToOwnBins(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var origins = new List<Uri> { new(app.Services.GetRequiredService<PublicUrls>().Base) };
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host is not ("0.0.0.0" or "[::]" or "+" or "*"))
                {
                    origins.Add(uri);
                    continue;
                }

                // http://+:5000, http://*:5000 and the any-address binds do not parse as, or are not, a host to connect to.
                if (!address.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                var port = address[(address.LastIndexOf(':') + 1)..].TrimEnd('/');
                var scheme = address[..address.IndexOf("://", StringComparison.Ordinal)];
                foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]" })
                {
                    if (Uri.TryCreate($"{scheme}://{host}:{port}", UriKind.Absolute, out var local))
                    {
                        origins.Add(local);
                    }
                }
            }

            app.Services.GetRequiredService<OwnBins>().SetOrigins(origins);
        });
}
