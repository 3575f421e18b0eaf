using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildHooks.Server.Apis;

/// <summary>
/// The <c>Idempotency-Key</c> request header of a build report (as Stripe, Svix and GitHub use it): the client's name for one
/// build, so that a report sent again after its answer was lost reaches the build the first one made.
/// </summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";

    /// <summary>Set to <c>true</c> on an answer that recorded nothing because the key's build already had the report.</summary>
    public const string Replayed = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>False with a 400 that says what to fix; true with the key, or null when the request has none.</summary>
    public static bool TryRead(HttpRequest request, out string? key, out ProblemHttpResult? problem)
    {
        key = null;
        problem = null;
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return true;
        }

        if (values.Count > 1)
        {
            problem = Refused($"give one {Name} header; the request has {values.Count}.");
            return false;
        }

        var value = values[0] ?? "";
        if (value.Length is 0 or > MaxLength)
        {
            problem = Refused($"{Name} must be 1 to {MaxLength} characters (a GUID is a good key); it was {value.Length} long.");
            return false;
        }

        if (value.AsSpan().IndexOfAnyExceptInRange(' ', '~') is var at and >= 0)
        {
            problem = Refused($"{Name} must be printable ASCII (space to '~'); it has U+{(int)value[at]:X4}. A GUID is a good key.");
            return false;
        }

        key = value;
        return true;
    }

    private static ProblemHttpResult Refused(string detail) =>
        TypedResults.Problem(statusCode: 400, title: $"Invalid {Name}", detail: detail);
}
