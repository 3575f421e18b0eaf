using System.Net;

namespace BuildHooks.Delivery.Network;

/// <summary>
/// Thrown by <see cref="OutboundGuard"/> when a hook's host is, or resolves to, an address the
/// guard refuses. No connection was opened.
/// </summary>
/// <remarks>
/// It derives from <see cref="HttpRequestException"/> so that code catching HTTP failures
/// treats it as one. Note that when the guard runs as <see cref="SocketsHttpHandler.ConnectCallback"/>,
/// HttpClient wraps whatever the callback throws in its own <see cref="HttpRequestException"/>
/// (message suffixed with " (host:port)", <see cref="HttpRequestError.ConnectionError"/>), so the
/// caller sees this exception as the inner one: use <see cref="FindIn"/> to tell a refusal —
/// a configuration problem that retrying will not fix — from an ordinary connection failure.
/// </remarks>
public sealed class BlockedAddressException : HttpRequestException
{
    public BlockedAddressException(string host, IPAddress address, string reason)
        : base(HttpRequestError.ConnectionError, FormatMessage(host, address, reason))
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    /// <summary>The host name (or IP literal) taken from the hook URL.</summary>
    public string Host { get; }

    /// <summary>The address that was refused.</summary>
    public IPAddress Address { get; }

    /// <summary>Why, as given by <see cref="AddressClassifier.BlockReason"/>.</summary>
    public string Reason { get; }

    /// <summary>
    /// The refusal in <paramref name="exception"/> or its chain of inner exceptions, or null.
    /// </summary>
    public static BlockedAddressException? FindIn(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BlockedAddressException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    private static string FormatMessage(string host, IPAddress address, string reason)
    {
        // "for host 10.0.0.5" after "to 10.0.0.5" would only repeat itself.
        var forHost = string.Equals(host, address.ToString(), StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : $" for host {host}";
        return $"Refused to connect to {address}, a blocked address ({reason}){forHost}: add the network to {AllowedNetworks.ConfigurationKey} to allow it.";
    }
}
