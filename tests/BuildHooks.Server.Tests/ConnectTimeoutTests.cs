using System.Net;
using System.Net.Sockets;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// A receiver that never accepts the connection. The connect timeout in effect is the smaller of 10 s and the hook's
/// timeout_seconds, and the attempt log says "timed out" and which timeout it was.
/// </summary>
public sealed class ConnectTimeoutTests
{
    [Fact]
    public async Task A_hook_timeout_shorter_than_the_connect_timeout_ends_the_connect_and_says_timeout()
    {
        await using var server = await BuildHooksServer.StartAsync();
        using var unaccepting = UnacceptingListener.Start();

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync($"http://127.0.0.1:{unaccepting.Port}/hook", maxAttempts: 1, timeoutSeconds: 2);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        var error = Assert.Single(delivery.Attempts()).Error();
        Assert.Equal($"Timed out after 2 s waiting for 127.0.0.1 (the hook's timeout)", error);
    }

    [Fact]
    public async Task A_hook_timeout_longer_than_the_connect_timeout_fails_at_10_s_as_a_connect_timeout()
    {
        await using var server = await BuildHooksServer.StartAsync();
        using var unaccepting = UnacceptingListener.Start();

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync($"http://127.0.0.1:{unaccepting.Port}/hook", maxAttempts: 1, timeoutSeconds: 60);

        var delivery = await server.WaitUntilFailedAsync(deliveryId, seconds: 40);
        var error = Assert.Single(delivery.Attempts()).Error();
        Assert.Equal($"Timed out after 10 s connecting to 127.0.0.1:{unaccepting.Port} (connect timeout)", error);
    }

    /// <summary>
    /// A loopback listener whose accept queue is full and never drained: Linux drops further SYNs, so a connect to it
    /// hangs the way one to a host behind a silent firewall does.
    /// </summary>
    private sealed class UnacceptingListener : IDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _fillers = [];

        private UnacceptingListener(Socket listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public static UnacceptingListener Start()
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var result = new UnacceptingListener(listener);
            for (var i = 0; i < 16; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                result._fillers.Add(filler);
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, result.Port), wait.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    return result;
                }
            }

            throw new InvalidOperationException("The listener kept accepting connections; cannot make a connect hang on this machine.");
        }

        public void Dispose()
        {
            foreach (var filler in _fillers)
            {
                filler.Dispose();
            }

            _listener.Dispose();
        }
    }
}
