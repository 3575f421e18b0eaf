using BuildHooks.Core;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Delivery.Intake;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Delivery.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BuildHooks.Delivery;

public static class DeliveryRegistration
{
    /// <summary>The dispatcher, its one pooled HTTP client (with the outbound address guard) and the retry policy.</summary>
    public static IServiceCollection AddBuildHooksDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section);
        services.AddSingleton(sp => AllowedNetworks.Parse(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.AllowedNetworks));
        services.AddSingleton<OwnBins>();
        services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<AllowedNetworks>()) { OwnBins = sp.GetRequiredService<OwnBins>() });
        services.AddSingleton(sp => new HttpClient(CreateHandler(sp.GetRequiredService<OutboundGuard>()), disposeHandler: true)
        {
            // Each attempt carries its hook's own timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton<HookSender>();
        services.AddSingleton<SecretProtector>();
        services.AddHostedService<PlainSecretEncryption>();
        services.AddSingleton(sp => new RetryPolicy(Random.Shared.NextDouble, sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.RetrySchedule));
        services.AddSingleton<OutcomePlanner>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<HookActivity>();
        services.AddSingleton<AttemptWriter>();
        services.AddSingleton<Dispatcher>();
        services.AddHostedService<DueListener>();
        services.AddHostedService(sp => sp.GetRequiredService<Dispatcher>());
        services.AddSingleton<BuildIntake>();
        services.AddHostedService(sp => sp.GetRequiredService<BuildIntake>());
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    private static SocketsHttpHandler CreateHandler(OutboundGuard guard) => new()
    {
        ConnectCallback = guard.ConnectAsync,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxConnectionsPerServer = 256,
        // Deliveries are not part of a distributed trace; skipping the propagator saves work on every request.
        ActivityHeadersPropagator = null,
        // A receiver that never stops sending headers must not hold a connection forever.
        MaxResponseHeadersLength = 64,
    };
}
