using BuildHooks.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Cli.Tests;

/// <summary>A --url that redirects (http to https, an old host name) is named with the address to use, not followed.</summary>
public sealed class RedirectTests(TestServer server) : IClassFixture<TestServer>
{
    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    public async Task A_redirecting_url_is_refused_with_the_address_it_points_to(int status)
    {
        var target = server.Url.TrimEnd('/');
        await using var proxy = await Receiver.StartAsync();
        proxy.Respond = (request, _) => Task.FromResult<IResult>(status == 301
            ? Results.Redirect(target + request.Path, permanent: true)
            : Results.Redirect(target + request.Path, preserveMethod: true));
        var cli = Infrastructure.Cli.For(proxy.Url, Path.GetTempPath());

        var listed = await cli.RunAsync("projects", "list");
        var added = await cli.RunAsync("projects", "add", "--name", "through-a-redirect");

        foreach (var result in new[] { listed, added })
        {
            // Followed, the token was dropped and the server's 401 blamed it; now the user learns what to pass.
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"redirects to {target}/api/projects", result.Error, StringComparison.Ordinal);
            Assert.Contains($"Use --url {target}/ ", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Authentication required", result.Error, StringComparison.Ordinal);
        }

        var projects = await Infrastructure.Cli.For(server.Url, Path.GetTempPath()).JsonAsync("projects", "list");
        Assert.DoesNotContain(projects.EnumerateArray(), p => p.GetProperty("name").GetString() == "through-a-redirect");
    }
}
