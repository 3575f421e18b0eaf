namespace BuildHooks.Core.Tests;

public class RetryPolicyTests
{
    private static readonly RetryPolicy NoJitter = new(() => 0.5);

    public static TheoryData<int, TimeSpan> Schedule => new()
    {
        { 1, TimeSpan.FromSeconds(5) },
        { 2, TimeSpan.FromMinutes(5) },
        { 3, TimeSpan.FromMinutes(30) },
        { 4, TimeSpan.FromHours(2) },
        { 5, TimeSpan.FromHours(5) },
        { 6, TimeSpan.FromHours(10) },
        { 7, TimeSpan.FromHours(10) },
    };

    [Theory]
    [MemberData(nameof(Schedule))]
    public void Delay_after_each_failed_attempt_follows_the_schedule(int attemptsMade, TimeSpan expected)
    {
        Assert.Equal(expected, NoJitter.NextDelay(attemptsMade, RetryPolicy.DefaultMaxAttempts));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    public void Beyond_the_schedule_the_last_delay_repeats(int attemptsMade)
    {
        Assert.Equal(TimeSpan.FromHours(10), NoJitter.NextDelay(attemptsMade, 20));
    }

    [Fact]
    public void First_attempt_goes_at_once()
    {
        Assert.Equal(TimeSpan.Zero, NoJitter.NextDelay(0, RetryPolicy.DefaultMaxAttempts));
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(9, 8)]
    [InlineData(1, 1)]
    public void Delivery_fails_for_good_after_the_last_attempt(int attemptsMade, int maxAttempts)
    {
        Assert.Null(NoJitter.NextDelay(attemptsMade, maxAttempts));
        Assert.Null(NoJitter.NextDelay(attemptsMade, maxAttempts, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Default_schedule_allows_seven_retries_after_the_first_attempt()
    {
        var delays = Enumerable.Range(1, 10).Select(n => NoJitter.NextDelay(n, RetryPolicy.DefaultMaxAttempts)).ToList();

        Assert.Equal(7, delays.Count(d => d is not null));
        Assert.Null(delays[7]);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.25, 0.9)]
    [InlineData(0.75, 1.1)]
    public void Jitter_moves_the_delay_by_at_most_twenty_percent(double unit, double factor)
    {
        var policy = new RetryPolicy(() => unit);

        Assert.Equal(TimeSpan.FromMinutes(30) * factor, policy.NextDelay(3, 8));
    }

    [Fact]
    public void Jitter_stays_below_the_upper_bound()
    {
        var policy = new RetryPolicy(() => 0.999999);

        var delay = policy.NextDelay(2, 8)!.Value;

        Assert.InRange(delay, TimeSpan.FromMinutes(5) * 1.19, TimeSpan.FromMinutes(5) * 1.2);
    }

    [Fact]
    public void Default_jitter_spreads_delays_within_twenty_percent()
    {
        var policy = new RetryPolicy();

        var delays = Enumerable.Range(0, 2000).Select(_ => policy.NextDelay(1, 8)!.Value).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6)));
        Assert.True(delays.Distinct().Count() > 100, "delays should not all be the same");
        Assert.Contains(delays, d => d < TimeSpan.FromSeconds(4.5));
        Assert.Contains(delays, d => d > TimeSpan.FromSeconds(5.5));
    }

    [Fact]
    public void Retry_after_longer_than_the_schedule_is_honoured()
    {
        Assert.Equal(TimeSpan.FromHours(1), NoJitter.NextDelay(1, 8, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Retry_after_shorter_than_the_schedule_does_not_hurry_the_retry()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), NoJitter.NextDelay(3, 8, TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMinutes(30), NoJitter.NextDelay(3, 8, TimeSpan.Zero));
    }

    [Fact]
    public void Retry_after_is_capped_at_a_day()
    {
        Assert.Equal(TimeSpan.FromHours(24), NoJitter.NextDelay(1, 8, TimeSpan.FromDays(30)));
        Assert.Equal(TimeSpan.FromHours(24), NoJitter.NextDelay(7, 8, TimeSpan.MaxValue));
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("0", 0)]
    [InlineData(" 30 ", 30)]
    public void Retry_after_in_seconds_is_parsed(string header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.ParseRetryAfter(header, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT")]
    [InlineData("Wednesday, 21-Oct-15 07:28:00 GMT")]
    [InlineData("Wed Oct 21 07:28:00 2015")]
    public void Retry_after_as_an_http_date_is_relative_to_now(string header)
    {
        var now = new DateTimeOffset(2015, 10, 21, 7, 26, 30, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(90), RetryPolicy.ParseRetryAfter(header, now));
    }

    [Fact]
    public void Retry_after_date_in_the_past_means_now()
    {
        var now = new DateTimeOffset(2015, 10, 21, 9, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, RetryPolicy.ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void Malformed_retry_after_is_ignored(string? header)
    {
        Assert.Null(RetryPolicy.ParseRetryAfter(header, DateTimeOffset.UtcNow));
    }
}
