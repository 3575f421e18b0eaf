using System.Globalization;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

/// <summary>Receivers that answer, but not with a 2xx: what the log keeps and what happens next.</summary>
public sealed class HostileStatusTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Server_error_is_logged_with_its_body_and_retried()
    {
        var server = fixture.Server;
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new Answer(500, "database on fire"));

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        var attempts = delivery.Attempts();
        Assert.Equal([500, 500], attempts.Select(a => a.StatusCode()));
        Assert.All(attempts, a => Assert.Equal("database on fire", a.GetProperty("response_body").GetString()));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Theory]
    [InlineData(503, false)]
    [InlineData(429, false)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    public async Task Retry_after_on_busy_answers_postpones_the_next_attempt(int status, bool asDate)
    {
        var server = fixture.Server;
        await using var receiver = await Receiver.StartAsync();
        var before = DateTimeOffset.UtcNow;
        var retryAfter = asDate ? before.AddSeconds(61).ToString("R", CultureInfo.InvariantCulture) : "30";
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new Answer(status, "busy", ("Retry-After", retryAfter)));

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, maxAttempts: 5);

        var delivery = await server.WaitForAttemptsAsync(deliveryId, 1);
        Assert.Equal("pending", delivery.Str("status"));
        Assert.Equal(status, Assert.Single(delivery.Attempts()).StatusCode());
        // Without Retry-After the schedule would retry after 0.2 s; the receiver asked for 30 s (or a date a minute away).
        var earliest = before + (asDate ? TimeSpan.FromSeconds(50) : TimeSpan.FromSeconds(25));
        Assert.True(delivery.NextAttemptAt() >= earliest, $"next_attempt_at {delivery.NextAttemptAt():O} is before {earliest:O}");
        Assert.True(delivery.NextAttemptAt() <= DateTimeOffset.UtcNow.AddSeconds(asDate ? 62 : 31), $"next_attempt_at {delivery.NextAttemptAt():O} is too late");
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Retry_after_beyond_a_day_is_capped_at_24_hours()
    {
        var server = fixture.Server;
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new Answer(503, "maintenance", ("Retry-After", "2592000")));
        var before = DateTimeOffset.UtcNow;

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, maxAttempts: 5);

        var delivery = await server.WaitForAttemptsAsync(deliveryId, 1);
        Assert.Equal("pending", delivery.Str("status"));
        Assert.InRange(delivery.NextAttemptAt(), before.AddHours(24).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
    }

    [Fact]
    public async Task Gone_is_not_retried_and_disables_the_hook_with_a_reason()
    {
        var server = fixture.Server;
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new Answer(410, "no such hook"));

        var (projectId, hookId, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, maxAttempts: 5);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        Assert.Equal(410, Assert.Single(delivery.Attempts()).StatusCode());
        var hook = await server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.False(hook.GetProperty("enabled").GetBoolean());
        Assert.Contains("410 Gone", hook.Str("disabled_reason"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    public async Task Redirect_is_not_followed_and_each_attempt_logs_the_location(int status)
    {
        var server = fixture.Server;
        await using var receiver = await Receiver.StartAsync();
        var location = receiver.Url + "/moved-here";
        receiver.Respond = (_, _) => Task.FromResult<IResult>(new Answer(status, "", ("Location", location)));

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        var attempts = delivery.Attempts();
        Assert.Equal([status, status], attempts.Select(a => a.StatusCode()));
        Assert.All(attempts, a =>
        {
            Assert.False(a.GetProperty("succeeded").GetBoolean());
            Assert.Contains(location, a.Error(), StringComparison.Ordinal);
        });
        Assert.Equal(2, receiver.Requests.Count);
        Assert.DoesNotContain(receiver.Requests, r => r.Path.Contains("moved", StringComparison.Ordinal));
    }

    /// <summary>A status, a text body and any headers, exactly as given.</summary>
    private sealed class Answer(int status, string body, params (string Name, string Value)[] headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
