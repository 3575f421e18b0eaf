using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BuildHooks.Server.Services.Bins;

/// <summary>
/// A per-bin limit on captures: the capture URL takes no token, so without it anyone holding a bin's URL could
/// keep the database's single writer busy with captures and slow real deliveries down.
/// </summary>
public sealed class BinRateLimit(IOptions<BinOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "bins";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limit = options.Value.RequestsPerMinute;
        var key = httpContext.Request.RouteValues["key"] as string ?? "";
        return limit <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    private async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                // ASP.NET Core's defaults give most statuses a type, but not 429.
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
                Title = "Too many requests for this bin",
                Detail = $"This bin takes {options.Value.RequestsPerMinute} requests a minute (BuildHooks:Bins:RequestsPerMinute); try again in {seconds} s (see Retry-After).",
            },
        });
    }
}
