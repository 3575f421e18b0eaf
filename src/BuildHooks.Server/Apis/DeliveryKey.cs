using System.Globalization;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

/// <summary>
/// How a path names a delivery: by its number, or by its webhook-id (<c>msg_…</c>), the header a receiver logs and
/// deduplicates on, so whoever runs the receiver can find what was sent from their own log. Both are unique.
/// </summary>
internal readonly record struct DeliveryKey(string Text)
{
    private long? Number => long.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public Task<BuildHooks.Core.Model.Delivery?> FindAsync(BuildHooksDb db, CancellationToken cancellationToken)
    {
        var deliveries = db.Deliveries.AsNoTracking();
        var text = Text;
        return Number is { } id
            ? deliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            : deliveries.FirstOrDefaultAsync(d => d.WebhookId == text, cancellationToken);
    }

    public ProblemHttpResult NotFound() => Number is { } id
        ? Apis.NotFound.Problem("Delivery", id)
        : TypedResults.Problem(statusCode: 404, title: "Delivery not found",
            detail: $"There is no delivery with webhook-id '{Text}'. Name a delivery by its id (a number) or by its webhook-id, msg_ followed by 32 hex digits, as the receiver got it in the webhook-id header.");
}
