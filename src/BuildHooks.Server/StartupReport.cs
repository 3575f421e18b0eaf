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
        Console.WriteLine(TokenLine());
    }

    /// <summary>The server did not start: say why and what to do, and still hand over a token generated for this first start.</summary>
    public void RefuseAddressInUse(string address)
    {
        var port = address.LastIndexOf(':') is var colon and >= 0 && int.TryParse(address.AsSpan(colon + 1), out var p) && p is > 0 and < 65535 ? p + 1 : 8081;
        Console.Error.WriteLine($"{address} is in use; choose another address with --urls, such as --urls http://127.0.0.1:{port}");
        if (adminToken.Source == AdminTokenSource.Generated)
        {
            Console.Error.WriteLine(TokenLine());
        }
    }

    private string TokenLine() => adminToken.Source switch
    {
        AdminTokenSource.Generated => $"  admin token:    {adminToken.Value}   (generated now, shown once, kept in {adminToken.File})",
        AdminTokenSource.File => $"  admin token:    kept in {adminToken.File}",
        _ => "  admin token:    from configuration (BuildHooks:AdminToken)",
    };
}
