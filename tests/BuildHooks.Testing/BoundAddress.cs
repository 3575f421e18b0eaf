using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BuildHooks.Testing;

/// <summary>Where a started in-process app listens: servers and receivers bind port 0 and learn their port afterwards.</summary>
public static class BoundAddress
{
    /// <summary>The first address <paramref name="app"/> listens on, such as <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public static string Of(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
