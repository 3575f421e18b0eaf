using System.Text.Json;
using System.Text.Json.Serialization;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Retention;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Infrastructure;
using BuildHooks.Server.Services;
using BuildHooks.Server.Services.Artifacts;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Server.Web;
using BuildHooks.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using OpenTelemetry.Metrics;

namespace BuildHooks.Server;

public static class ApplicationServices
{
    /// <summary>Every service the server needs, in one place.</summary>
    public static StartupReport AddApplicationServices(this WebApplicationBuilder builder)
    {
        // First: a setting that cannot work stops the start with one line that names it, before anything uses it.
        SettingsCheck.Run(builder.Configuration);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        // Relative to where the server is started, so `dotnet run` from a clone keeps its data in ./data.
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        SettingsCheck.Writable($"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}", dataDirectory);
        var database = ReadDatabaseSettings(builder.Configuration, Path.Combine(dataDirectory, "buildhooks.db"));
        var adminToken = AdminToken.Resolve(options.AdminToken, dataDirectory);

        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section);
        builder.Services.AddSingleton(adminToken);
        builder.Services.AddBuildHooksStorage(database);
        builder.Services.AddBuildHooksDelivery();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        builder.Services.AddHostedService<DeliveryRetention>();
        // Hook secrets are encrypted with these keys: nodes sharing a database must share the key ring too (docs/SCALING.md).
        // Checked here: Data Protection only logs a key ring it cannot write, and every hook created then failed with a 500.
        var keys = string.IsNullOrWhiteSpace(options.DataProtectionKeysPath) ? Path.Combine(dataDirectory, "keys") : Path.GetFullPath(options.DataProtectionKeysPath);
        SettingsCheck.Writable($"{ServerOptions.Section}:{nameof(ServerOptions.DataProtectionKeysPath)}", keys);
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys));

        builder.WebHost.ConfigureKestrel(k => RequestLimits.ConfigureTransport(k.Limits, options));
        builder.Services.Configure<JsonOptions>(o =>
        {
            Configure(o.SerializerOptions);
            // Every string a request body carries is checked here for control characters, whatever its field.
            o.SerializerOptions.Converters.Add(new TextConverter());
        });
        // Bad JSON reaches the exception handler, which names what to fix instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => StatusProblemDetail.Fill(c, options.MaxRequestBodyBytes));
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<VanishedRowExceptionHandler>();
        builder.Services.AddExceptionHandler<UnstorableTextExceptionHandler>();
        builder.Services.AddApiDocument();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        // BuildHooks' own meter, the runtime's (GC, thread pool, CPU) and Npgsql's (its pool), in Prometheus' text format at /metrics. Not ASP.NET
        // Core's or HttpClient's per-request meters: two histograms per delivery on the hot path, for figures ours already give.
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(DeliveryMetrics.MeterName, "System.Runtime", "Npgsql").AddPrometheusExporter());

        builder.Services.AddAuthentication(TokenAuthentication.SchemeName)
            .AddScheme<TokenAuthenticationOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.AdminRole))
            .AddPolicy(Policies.Reporter, p => p.RequireAuthenticatedUser())
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireRole(Policies.AdminRole).Build());
        builder.Services.AddSingleton<ReportTokens>();
        builder.Services.AddApiRateLimit(builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions());

        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<BuildReporter>();
        builder.Services.AddSingleton<ReportKeyLocks>();
        builder.Services.AddArtifacts();
        builder.Services.AddScoped<HookTester>();
        builder.Services.AddScoped<HookControl>();
        builder.Services.AddRequestBins();
        builder.AddWebInterface();
        return new StartupReport(dataDirectory, adminToken);
    }

    private static DatabaseSettings ReadDatabaseSettings(IConfiguration configuration, string sqlitePath)
    {
        try
        {
            return DatabaseSettings.Parse(configuration[DatabaseSettings.ProviderKey],
                configuration.GetConnectionString(DatabaseSettings.ConnectionStringName), sqlitePath);
        }
        catch (InvalidOperationException e)
        {
            // Parse's messages say what to set; they only need to reach the operator without a stack trace.
            throw new BadSettingException(e.Message, e);
        }
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
