using System.Globalization;
using BuildHooks.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildHooks.Server.Apis;

/// <summary>Lists are newest first, <c>limit</c> rows (default 50, at most 500), continuing below id <c>before</c>.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>
    /// Reads <c>?limit=</c> and <c>?before=</c> as the client wrote them: taken as strings, so that a value that is not a
    /// number, or a limit outside 1–500, is a 400 that says so instead of the framework's message or a silent clamp.
    /// </summary>
    public static bool TryRead(string? limit, string? before, out Page page, out ProblemHttpResult? problem)
    {
        page = new Page(DefaultLimit, long.MaxValue);
        problem = null;
        var rows = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > MaxLimit))
        {
            problem = Refused("limit", $"limit must be a whole number from 1 to {MaxLimit} (default {DefaultLimit}); got '{Excerpt(limit)}'.");
            return false;
        }

        var below = long.MaxValue;
        if (before is not null && !long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out below))
        {
            problem = Refused("before", $"before must be an id (a whole number): the list continues below it, e.g. the last id of the previous page; got '{Excerpt(before)}'.");
            return false;
        }

        page = new Page(rows, Before(below));
        return true;
    }

    public static long Before(long? before) => before is > 0 ? before.Value : long.MaxValue;

    /// <summary>A page of a delivery list, as the API and the hook page show it: only <paramref name="status"/> if given, below <paramref name="before"/>, newest first.</summary>
    public static IQueryable<BuildHooks.Core.Model.Delivery> NewestFirst(this IQueryable<BuildHooks.Core.Model.Delivery> deliveries, DeliveryStatus? status, long? before)
    {
        var from = Before(before);
        deliveries = deliveries.Where(d => d.Id < from);
        if (status is { } only)
        {
            deliveries = deliveries.Where(d => d.Status == only);
        }

        return deliveries.OrderByDescending(d => d.Id);
    }

    private static ProblemHttpResult Refused(string parameter, string detail) =>
        TypedResults.Problem(statusCode: 400, title: $"Invalid {parameter}", detail: detail);

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary><see cref="Limit"/> rows below id <see cref="Before"/>.</summary>
    public readonly record struct Page(int Limit, long Before);
}
