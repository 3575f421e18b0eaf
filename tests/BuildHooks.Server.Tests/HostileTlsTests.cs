using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>An https receiver whose certificate nobody vouches for.</summary>
public sealed class HostileTlsTests
{
    [Fact]
    public async Task Self_signed_certificate_is_refused_with_a_tls_error_and_nothing_is_sent()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var received = 0;
        await using var receiver = await SelfSignedHttpsReceiver.StartAsync(() => Interlocked.Increment(ref received));

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "TLS handshake with 127.0.0.1 failed");
        Assert.Equal(0, Volatile.Read(ref received));
    }
}
