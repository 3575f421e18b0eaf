using BuildHooks.Delivery.Sending;

namespace BuildHooks.Delivery.Tests.Sending;

public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("https://example.com/hooks/ci", "https://example.com/hooks/ci")]
    [InlineData("https://example.com/in?token=abc", "https://example.com/in?token=[REDACTED]")]
    [InlineData("https://example.com/in?team=ci&access_token=abc&x=1", "https://example.com/in?team=ci&access_token=[REDACTED]&x=1")]
    [InlineData("https://example.com/in?API_KEY=abc&Secret=def&sig=ghi&Signature=jkl&password=mno", "https://example.com/in?API_KEY=[REDACTED]&Secret=[REDACTED]&sig=[REDACTED]&Signature=[REDACTED]&password=[REDACTED]")]
    [InlineData("https://example.com/in?to%6Ben=abc", "https://example.com/in?to%6Ben=[REDACTED]")]
    [InlineData("https://example.com/in?team=ci&design=blue", "https://example.com/in?team=ci&design=blue")]
    [InlineData("https://example.com/in?token", "https://example.com/in?token")]
    [InlineData("https://example.com/in?token=abc#frag", "https://example.com/in?token=[REDACTED]")]
    public void Credential_like_query_parameters_are_redacted_and_the_rest_kept(string url, string shown)
    {
        Assert.Equal(shown, UrlRedaction.Redact(url));
    }
}
