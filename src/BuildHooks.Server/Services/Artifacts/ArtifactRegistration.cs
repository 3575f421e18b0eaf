namespace BuildHooks.Server.Services.Artifacts;

public static class ArtifactRegistration
{
    public static IServiceCollection AddArtifacts(this IServiceCollection services)
    {
        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.Section);
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ArtifactLinks>();
        services.AddSingleton<ArtifactCatalog>();
        services.AddSingleton<ArtifactReceiver>();
        services.AddSingleton<BuildAccessTokens>();
        services.AddHostedService<ArtifactSweeper>();
        return services;
    }
}
