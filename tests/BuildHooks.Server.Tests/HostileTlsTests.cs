using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests;

/// <summary>An https receiver whose certificate nobody vouches for.</summary>
public sealed class HostileTlsTests
{
    [Fact]
    public async Task Self_signed_certificate_is_refused_with_a_tls_error_and_nothing_is_sent()
    {
        await using var server = await BuildHooksServer.StartAsync();
        using var certificate = SelfSignedFor127001();
        var received = 0;
        await using var receiver = await StartHttpsAsync(certificate, () => Interlocked.Increment(ref received));

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "TLS handshake with 127.0.0.1 failed");
        Assert.Equal(0, Volatile.Read(ref received));
    }

    private static X509Certificate2 SelfSignedFor127001()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Round-trip through PKCS#12 so the private key is one Kestrel's TLS stack can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    private static async Task<HttpsReceiver> StartHttpsAsync(X509Certificate2 certificate, Action onRequest)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        var app = builder.Build();
        app.Map("/{**path}", () =>
        {
            onRequest();
            return Results.Ok();
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);
        return new HttpsReceiver(app, url);
    }

    private sealed class HttpsReceiver(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
