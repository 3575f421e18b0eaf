using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class DurationTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(60, "1m 0s")]
    [InlineData(158, "2m 38s")]
    [InlineData(3599, "59m 59s")]
    [InlineData(3605, "1h 0m 5s")]
    [InlineData(3600, "1h 0m 0s")]
    [InlineData(27 * 3600 + 4 * 60 + 9, "27h 4m 9s")]
    public void Duration_string_leaves_out_leading_zero_units(long seconds, string expected)
    {
        Assert.Equal(expected, DurationText.Format(seconds));
    }

    [Fact]
    public void Fractions_of_a_second_are_dropped()
    {
        Assert.Equal("2m 38s", DurationText.Format(TimeSpan.FromSeconds(158.999)));
    }
}
