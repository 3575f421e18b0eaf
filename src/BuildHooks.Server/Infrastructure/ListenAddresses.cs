using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Finds an address of <c>--urls</c> that another process already listens on before the host starts: Kestrel binds
/// last, after the delivery services have started, and its failure is logged by the host with its stack trace.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The first <c>host:port</c> of the configured <c>urls</c> that cannot be bound because it is taken, or null.</summary>
    public static string? FirstInUse(IConfiguration configuration)
    {
        // Endpoints in Kestrel's configuration section replace --urls.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();
        IEnumerable<string> urls = endpoints.Count > 0 ? endpoints : (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                // Kestrel reports an address it cannot read itself.
                continue;
            }

            if (address.Port != 0 && IsTaken(EndpointOf(address)))
            {
                return $"{address.Host}:{address.Port}";
            }
        }

        return null;
    }

    /// <summary>Kestrel's failure to bind an address that is taken (a race the check before start lost).</summary>
    public static bool IsAddressInUse(Exception exception, out string address)
    {
        address = "";
        if (exception is not IOException { InnerException: AddressInUseException })
        {
            return false;
        }

        // "Failed to bind to address http://127.0.0.1:8080: address already in use."
        const string Prefix = "Failed to bind to address ";
        var message = exception.Message;
        var end = message.LastIndexOf(": ", StringComparison.Ordinal);
        var url = message.StartsWith(Prefix, StringComparison.Ordinal) && end > Prefix.Length ? message[Prefix.Length..end] : "";
        address = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;
        return true;
    }

    private static IPEndPoint EndpointOf(BindingAddress address) =>
        string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? new IPEndPoint(IPAddress.Loopback, address.Port)
        : IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, address.Port)
        // *, + or a host name: Kestrel listens on every interface.
        : new IPEndPoint(IPAddress.Any, address.Port);

    private static bool IsTaken(IPEndPoint endpoint)
    {
        try
        {
            using var listener = new TcpListener(endpoint);
            listener.Start();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Not ours to judge (an address this machine does not have, no permission): Kestrel will say.
            return false;
        }
    }
}
