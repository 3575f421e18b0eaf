using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A real HTTPS receiver on 127.0.0.1 whose certificate is self-signed, so no default TLS check trusts it.</summary>
public sealed class SelfSignedHttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private SelfSignedHttpsReceiver(WebApplication app, X509Certificate2 certificate, string url)
    {
        _app = app;
        _certificate = certificate;
        Url = url;
    }

    public string Url { get; }

    /// <param name="onRequest">Called for every request that gets through TLS.</param>
    /// <param name="path">Appended to the base address to make <see cref="Url"/>.</param>
    public static async Task<SelfSignedHttpsReceiver> StartAsync(Action onRequest, string path = "")
    {
        var certificate = SelfSignedFor127001();
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
        var url = BoundAddress.Of(app);
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);
        return new SelfSignedHttpsReceiver(app, certificate, url + path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
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
}
