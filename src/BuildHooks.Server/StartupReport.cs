using BuildHooks.Server.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BuildHooks.Server;

/// <summary>What a person starting the server needs to read: where it listens, where data lives, the admin token.</summary>
public sealed class StartupReport(string dataDirectory, AdminToken adminToken)
{
    public void Announce(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine($"BuildHooks is listening on {string.Join(", ", addresses)}");
        Console.WriteLine($"  data directory: {dataDirectory}");
        Console.WriteLine($"  API reference:  {addresses.FirstOrDefault()}/docs");
        Console.WriteLine(adminToken.Source switch
        {
            AdminTokenSource.Generated => $"  admin token:    {adminToken.Value}   (generated now, shown once, kept in {adminToken.File})",
            AdminTokenSource.File => $"  admin token:    kept in {adminToken.File}",
            _ => "  admin token:    from configuration (BuildHooks:AdminToken)",
        });
    }
}
