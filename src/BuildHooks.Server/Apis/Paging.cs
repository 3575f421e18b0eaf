using BuildHooks.Core.Model;

namespace BuildHooks.Server.Apis;

/// <summary>Lists are newest first, <c>limit</c> rows (default 50, at most 500), continuing below id <c>before</c>.</summary>
internal static class Paging
{
    public static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, 500);

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
}
