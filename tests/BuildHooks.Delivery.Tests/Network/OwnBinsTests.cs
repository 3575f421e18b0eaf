using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Tests.Network;

/// <summary>Which URLs count as this server's own bins, the only ones that may reach a blocked address.</summary>
public sealed class OwnBinsTests
{
    private static OwnBins Bins()
    {
        var bins = new OwnBins();
        bins.SetOrigins([new Uri("https://hooks.example.com"), new Uri("http://127.0.0.1:8080")]);
        return bins;
    }

    [Theory]
    [InlineData("https://hooks.example.com/bins/Hk3v0GKpZ8ZkjjQx9aLm2w")]
    [InlineData("https://HOOKS.example.com:443/bins/Hk3v0GKpZ8ZkjjQx9aLm2w/ci/build.json?x=1")]
    [InlineData("http://127.0.0.1:8080/bins/abc")]
    [InlineData("http://127.0.0.1:8080/bins/abc/")]
    public void A_bin_url_on_an_own_origin_is_one_of_ours(string url) => Assert.True(Bins().Contains(new Uri(url)));

    [Theory]
    [InlineData("http://127.0.0.1:8081/bins/abc")] // another port: another service
    [InlineData("https://127.0.0.1:8080/bins/abc")] // another scheme
    [InlineData("http://localhost:8080/bins/abc")] // another host name, even if it resolves to the same address
    [InlineData("http://127.0.0.1:8080/api/projects")] // this server, but not a bin
    [InlineData("http://127.0.0.1:8080/bins/")] // no key
    [InlineData("http://127.0.0.1:8080/binsabc")]
    [InlineData("http://127.0.0.1:8080/bins/../api/projects")] // System.Uri removes the dots: /api/projects
    [InlineData("http://127.0.0.1:8080/bins/abc/%2e%2e/%2e%2e/api/projects")] // a server could decode and remove them
    [InlineData("http://127.0.0.1:8080/bins/abc/%2F..%2Fapi")]
    [InlineData("http://user:secret@127.0.0.1:8080/bins/abc")]
    public void Anything_else_is_not(string url) => Assert.False(Bins().Contains(new Uri(url)));

    [Fact]
    public void Before_the_server_names_its_origins_nothing_is_ours() =>
        Assert.False(new OwnBins().Contains(new Uri("http://127.0.0.1:8080/bins/abc")));
}
