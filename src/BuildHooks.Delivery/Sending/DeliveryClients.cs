using System.Net;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Sending;

/// <summary>
/// The two pooled HTTP clients deliveries go through, both connecting via the <see cref="OutboundGuard"/>: one that
/// verifies TLS certificates, and one, for hooks with <c>allow_insecure_tls</c>, that accepts any certificate. Two
/// handlers rather than a per-request switch because TLS validation is a property of the pooled connection: a
/// connection opened without it must never be reused for a hook that asked for verification.
/// </summary>
public sealed class DeliveryClients : IDisposable
{
    /// <summary>
    /// Longest wait for a TCP (and TLS) connection. Each attempt is also cancelled at its hook's timeout, which covers
    /// connecting too, so the connect timeout in effect is the smaller of this and the hook's timeout_seconds.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public DeliveryClients(OutboundGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        Verified = Create(guard, insecure: false);
        Insecure = Create(guard, insecure: true);
    }

    public HttpClient Verified { get; }

    /// <summary>Accepts self-signed, expired and wrong-name certificates; the address guard still applies.</summary>
    public HttpClient Insecure { get; }

    public HttpClient For(bool allowInsecureTls) => allowInsecureTls ? Insecure : Verified;

    public void Dispose()
    {
        Verified.Dispose();
        Insecure.Dispose();
    }

    private static HttpClient Create(OutboundGuard guard, bool insecure)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = ConnectTimeout,
            // No cap per receiver host: the per-hook gates and MaxInFlight bound connections already, and a cap per
            // host let hanging hooks on one host take every connection from the healthy hooks beside them.
            MaxConnectionsPerServer = int.MaxValue,
            // Deliveries are not part of a distributed trace; skipping the propagator saves work on every request.
            ActivityHeadersPropagator = null,
            // A receiver that never stops sending headers must not hold a connection forever.
            MaxResponseHeadersLength = 64,
        };
        if (insecure)
        {
            // The hook's owner asked for this (a receiver with a self-signed certificate); it is off by default.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        // Each attempt carries its hook's own timeout.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
