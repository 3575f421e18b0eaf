using System.Data.Common;
using BuildHooks.Server.Apis;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Infrastructure;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Server.Web;
using BuildHooks.Storage;
using Scalar.AspNetCore;

namespace BuildHooks.Server;

/// <summary>Builds the whole server; Program.cs runs it and tests start it on a free loopback port.</summary>
public static class BuildHooksApp
{
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Not watched for changes: ASP.NET Core watches the content root recursively for appsettings.json, so a data
            // directory inside it woke a watcher thread on every SQLite write. Settings are read at start; restart to change them.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            // appsettings.json travels with the build; the default content root, the working directory, is the clone's root
            // under `dotnet run` from a clone, where the file is not (and whose every folder would otherwise be watched).
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        var startup = builder.AddApplicationServices();
        builder.Services.AddSingleton(startup);

        var app = builder.Build();
        try
        {
            await StorageRegistration.MigrateAsync(app.Services, CancellationToken.None);
        }
        catch (Exception e) when (ExceptionChain.Find<DbException>(e) is { } error)
        {
            await app.DisposeAsync();
            // What the database said (refused, unknown host, wrong password, no such database) is what the operator needs.
            throw new BadSettingException($"The database could not be opened or upgraded: {error.Message.ReplaceLineEndings(" ").TrimEnd('.')}. Check {DatabaseSettings.ProviderKey} and ConnectionStrings:{DatabaseSettings.ConnectionStringName}.", e);
        }

        app.UseExceptionHandler();
        // First: a URL or headers over the limits are refused before anything reads them.
        app.UseRequestLimits();
        // Problem Details, except a refused form for a browser, which gets a page it can show (FormRefusedPage).
        app.UseStatusCodePages(FormRefusedPage.HandleAsync);
        app.UseWebStaticFiles();
        // Before authorization, whose fallback policy would answer a path nothing serves, or a method it lacks, with a bearer 401.
        app.UseUnmatchedRequestAnswers();
        app.UseAuthentication();
        // After authentication: a token that authenticates is limited on its own, anything else by address.
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        // For Prometheus, with the admin token (`authorization: { credentials: ... }` in its scrape config).
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Admin);
        app.MapProjectsApi();
        app.MapHooksApi();
        app.MapBuildsApi();
        app.MapArtifactsApi();
        app.MapProjectLookupApi();
        app.MapDeliveriesApi();
        app.MapRequestBins();
        app.MapWebInterface();

        app.Lifetime.ApplicationStarted.Register(() => startup.Announce(app));
        return app;
    }

    /// <summary>The process: creates and runs the server; 1, with the one line that says what to fix, when a setting cannot work.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = await CreateAsync(args);
        }
        catch (BadSettingException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        return await RunAsync(app);
    }

    /// <summary>Runs the server until it is stopped; 1, with one line that says what to do, when its address is taken.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        var startup = app.Services.GetRequiredService<StartupReport>();
        if (ListenAddresses.FirstInUse(app.Configuration) is { } taken)
        {
            startup.RefuseAddressInUse(taken);
            await app.DisposeAsync();
            return 1;
        }

        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (ListenAddresses.IsAddressInUse(e, out var address))
        {
            startup.RefuseAddressInUse(address);
            // The delivery services started before Kestrel tried to bind: stop them before their database goes.
            await app.StopAsync();
            await app.DisposeAsync();
            return 1;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
