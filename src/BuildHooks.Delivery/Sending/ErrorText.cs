using System.Net.Sockets;
using System.Security.Authentication;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Sending;

/// <summary>Turns the exception of a failed request into the plain sentence the delivery log shows.</summary>
internal static class ErrorText
{
    /// <remarks>
    /// Control characters are replaced: some messages quote what the receiver sent (an invalid status line), and a
    /// hostile receiver must not put terminal escape sequences or NULs into a log that people read.
    /// </remarks>
    public static string For(Exception exception, Uri url) => Printable(Describe(exception, url));

    private static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text;

    private static string Describe(Exception exception, Uri url)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BlockedAddressException blocked:
                    return blocked.Message;
                case AuthenticationException tls:
                    return $"TLS handshake with {url.Host} failed: {tls.Message}";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"Connection refused by {url.Host}:{url.Port}";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return $"DNS lookup failed for {url.Host}";
                case SocketException { SocketErrorCode: SocketError.ConnectionReset }:
                    return $"Connection reset by {url.Host}:{url.Port}";
                case SocketException socket:
                    return $"Network error talking to {url.Host}:{url.Port}: {socket.SocketErrorCode}";
            }
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => $"Invalid HTTP response from {url.Host}: {exception.Message}",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => $"Connection closed by {url.Host} before the response was complete",
            HttpIOException io => $"Connection to {url.Host} broke while reading the response: {io.Message}",
            IOException io => $"Connection to {url.Host} broke: {io.Message}",
            _ => exception.Message,
        };
    }
}
