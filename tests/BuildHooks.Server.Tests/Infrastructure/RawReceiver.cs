using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// A TCP server on a free loopback port that misbehaves below HTTP: each accepted connection is handed to
/// <see cref="Handle"/>, which writes whatever bytes (or nothing) it likes. Connections stay open until the
/// handler closes them or the receiver is disposed.
/// </summary>
public sealed class RawReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _accepting;
    private int _accepted;
    private int _open;

    private RawReceiver(Func<Socket, CancellationToken, Task> handle)
    {
        Handle = handle;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _accepting = AcceptAsync();
    }

    public string Url { get; }

    /// <summary>What to do with an accepted connection; the socket is closed when it returns (unless it closed it already).</summary>
    public Func<Socket, CancellationToken, Task> Handle { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections whose handler has not finished yet.</summary>
    public int Open => Volatile.Read(ref _open);

    public static RawReceiver Start(Func<Socket, CancellationToken, Task> handle) => new(handle);

    /// <summary>A receiver that reads each request, then answers with <paramref name="bytes"/> and closes.</summary>
    public static RawReceiver Answering(string bytes) => Start(async (socket, ct) =>
    {
        await ReadRequestAsync(socket, ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes(bytes), ct);
        socket.Shutdown(SocketShutdown.Both);
    });

    /// <summary>A receiver that reads each request and never answers, holding the connection open.</summary>
    public static RawReceiver Hanging() => Start(async (socket, ct) =>
    {
        await ReadRequestAsync(socket, ct);
        await Task.Delay(Timeout.Infinite, ct);
    });

    /// <summary>Reads one HTTP/1.1 request (headers, then a Content-Length body) and returns its head.</summary>
    public static async Task<string> ReadRequestAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        var headEnd = -1;
        var contentLength = 0;
        while (headEnd < 0 || received.Count < headEnd + contentLength)
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
            if (headEnd < 0 && IndexOfHeadEnd(received) is var end and >= 0)
            {
                headEnd = end;
                contentLength = ContentLength(Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray()));
            }
        }

        return headEnd < 0 ? Encoding.ASCII.GetString(received.ToArray()) : Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _open);
            _sockets.Add(socket);
            _handlers.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await Handle(socket, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The peer went away or the receiver is stopping: both are part of misbehaving.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await _accepting;
        await Task.WhenAll(_handlers);
        _stop.Dispose();
    }
}
