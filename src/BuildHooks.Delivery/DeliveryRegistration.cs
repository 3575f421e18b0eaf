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
    /// <summary>The dispatcher, the sender (whose pooled clients connect through the outbound address guard) and the retry policy.</summary>
    public static IServiceCollection AddBuildHooksDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section);
        services.AddSingleton(sp => AllowedNetworks.Parse(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.AllowedNetworks));
        services.AddSingleton<OwnBins>();
        services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<AllowedNetworks>()) { OwnBins = sp.GetRequiredService<OwnBins>() });
        services.AddSingleton<HookSender>();
        services.AddSingleton<SecretProtector>();
        services.AddHostedService<PlainSecretEncryption>();
        services.AddSingleton(sp => new RetryPolicy(Random.Shared.NextDouble, sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.RetrySchedule));
        services.AddSingleton<OutcomePlanner>();
        services.AddMetrics();
        services.AddSingleton<DeliveryMetrics>();
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
}
