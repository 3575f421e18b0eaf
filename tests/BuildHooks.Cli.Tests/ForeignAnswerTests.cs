using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BuildHooks.Cli.Tests;

/// <summary>
/// Whatever answers at a wrong --url (a proxy's page, a broken or hostile program) is reported briefly and safely:
/// a user learns to check the address, and the terminal gets no escape sequences from the peer.
/// </summary>
public sealed class ForeignAnswerTests
{
    [Fact]
    public async Task Escape_sequences_in_an_invalid_answer_do_not_reach_the_terminal()
    {
        var result = await RunAgainstAsync("\u001b]0;pwned\u0007\u001b[2J NOT HTTP\r\n\r\n");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("NOT HTTP", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain('\u0007', result.Error);
    }

    [Fact]
    public async Task A_long_page_that_is_not_problem_details_is_shown_as_a_short_excerpt_with_a_hint()
    {
        var page = "<html><body>\u001b[31m" + string.Concat(Enumerable.Repeat("<p>Not Found</p>\n", 2000)) + "</body></html>";
        var result = await RunAgainstAsync(
            $"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {Encoding.UTF8.GetByteCount(page)}\r\nConnection: close\r\n\r\n{page}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("404 Not Found, not a BuildHooks answer (text/html): <html><body>", result.Error, StringComparison.Ordinal);
        Assert.Contains("Check --url.", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error.Length < 500, $"{result.Error.Length} characters of error");
        Assert.DoesNotContain('\u001b', result.Error);
    }

    [Fact]
    public async Task An_answer_cut_off_mid_body_says_the_connection_broke()
    {
        var result = await RunAgainstAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n[{\"id\":");

        Assert.Equal(3, result.ExitCode);
        // HttpClient's own words were "Error while copying content to a stream".
        Assert.Contains("the connection broke: The response ended prematurely", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>projects list</c> against a one-shot TCP peer that reads the request and writes <paramref name="answer"/>.</summary>
    private static async Task<Infrastructure.CliResult> RunAgainstAsync(string answer)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[8192];
            var request = "";
            while (!request.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                request += Encoding.ASCII.GetString(buffer, 0, read);
            }

            await socket.SendAsync(Encoding.UTF8.GetBytes(answer));
            socket.Shutdown(SocketShutdown.Both);
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        var result = await Infrastructure.Cli.For(url, Path.GetTempPath()).RunAsync("projects", "list");
        await peer;
        return result;
    }
}
