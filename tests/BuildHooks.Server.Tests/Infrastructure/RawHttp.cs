using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written by hand on a TCP connection, for what HttpClient will not send or cannot report: a URL or headers
/// past a limit, an upload the server refuses halfway (HttpClient would report only the broken pipe).
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="requestLine"/> and <paramref name="headers"/> (each "Name: value"; Host and
    /// <c>Connection: close</c> are added), then lets <paramref name="writeBody"/> write, and reads the answer until
    /// the server closes. A body the server stops reading is not an error: its answer is what the test wants.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        string baseUrl, string requestLine, IEnumerable<string>? headers = null, Func<Stream, Task>? writeBody = null)
    {
        var server = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder().Append(requestLine).Append("\r\nHost: ").Append(server.Authority).Append("\r\nConnection: close\r\n");
        foreach (var header in headers ?? [])
        {
            head.Append(header).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        var upload = Task.Run(async () =>
        {
            try
            {
                if (writeBody is not null)
                {
                    await writeBody(stream);
                }
            }
            catch (IOException)
            {
                // The server stopped reading: expected once it has refused the request.
            }
        });

        using var answer = new MemoryStream();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }

        await upload;
        return Parse(Encoding.UTF8.GetString(answer.ToArray()));
    }

    /// <summary>One chunk of a <c>Transfer-Encoding: chunked</c> body.</summary>
    public static byte[] Chunk(string data) => Encoding.ASCII.GetBytes($"{data.Length:x}\r\n{data}\r\n");

    private static HttpResponseMessage Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"No complete HTTP answer: {text}");
        var head = text[..split].Split("\r\n");
        var body = text[(split + 4)..];
        if (head.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Unchunk(body);
        }

        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture))
        {
            Content = new StringContent(body),
        };
        var contentType = head.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase));
        response.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType["Content-Type:".Length..].Trim());
        return response;
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..line], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(chunked, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}
