using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;

namespace BuildHooks.Microbench;

/// <summary>
/// A keep-alive HTTP/1.1 receiver on 127.0.0.1 that answers every request 200 and allocates nothing per request: the
/// memory diagnoser counts the allocations of every thread, and these must be the sender's.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private static readonly byte[] Response =
        "HTTP/1.1 200 OK\r\nDate: Tue, 25 Nov 2025 12:00:00 GMT\r\nServer: Kestrel\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"u8.ToArray();

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopbackReceiver()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public void Dispose() => _listener.Dispose();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                _ = ServeAsync(await _listener.AcceptAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed: the run is over.
        }
    }

    private static async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[64 * 1024];
            var filled = 0;
            try
            {
                while (true)
                {
                    var length = RequestLength(buffer.AsSpan(0, filled));
                    if (length > 0 && filled >= length)
                    {
                        await connection.SendAsync(Response.AsMemory(), SocketFlags.None);
                        buffer.AsSpan(length, filled - length).CopyTo(buffer);
                        filled -= length;
                        continue;
                    }

                    var read = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }
            }
            catch (SocketException)
            {
                // The sender closed the connection.
            }
        }
    }

    /// <summary>Head and body of the request at the start of <paramref name="received"/>, or 0 while its head is incomplete.</summary>
    private static int RequestLength(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return 0;
        }

        var head = received[..end];
        var header = head.IndexOf("Content-Length: "u8);
        var contentLength = 0;
        if (header >= 0)
        {
            Utf8Parser.TryParse(head[(header + "Content-Length: "u8.Length)..], out contentLength, out _);
        }

        return end + 4 + contentLength;
    }
}
