using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Deliveries").RequireAuthorization(Policies.Admin);
        api.MapGet("/hooks/{hookId:long}/deliveries", ListAsync);
        api.MapGet("/builds/{buildId:long}/deliveries", ListOfBuildAsync);
        // {id} is the delivery's number or its webhook-id, the header a receiver logs (see DeliveryKey).
        api.MapGet("/deliveries/{id}", GetAsync);
        api.MapPost("/deliveries/{id}/redeliver", RedeliverAsync);
        api.MapPost("/hooks/{hookId:long}/recover", RecoverAsync);
        return app;
    }

    private static Task<Results<Ok<List<DeliveryView>>, ProblemHttpResult>> ListAsync(
        long hookId, string? status, string? limit, string? before, BuildHooksDb db, CancellationToken cancellationToken) =>
        ListOfAsync("Hook", hookId, () => db.Hooks.AnyAsync(h => h.Id == hookId, cancellationToken),
            db.Deliveries.Where(d => d.HookId == hookId), status, limit, before, cancellationToken);

    /// <summary>What one build caused: its delivery to each hook that matched, newest first.</summary>
    private static Task<Results<Ok<List<DeliveryView>>, ProblemHttpResult>> ListOfBuildAsync(
        long buildId, string? status, string? limit, string? before, BuildHooksDb db, CancellationToken cancellationToken) =>
        ListOfAsync("Build", buildId, () => db.Builds.AnyAsync(b => b.Id == buildId, cancellationToken),
            db.Deliveries.Where(d => d.BuildId == buildId), status, limit, before, cancellationToken);

    /// <summary>
    /// A page of the deliveries of a hook or a build, newest first and without payloads: <c>?limit=</c> of them below
    /// <c>?before=</c>, only those with <c>?status=</c> if given. An unknown status is a 400, an unknown owner a 404.
    /// </summary>
    private static async Task<Results<Ok<List<DeliveryView>>, ProblemHttpResult>> ListOfAsync(string owner, long ownerId, Func<Task<bool>> exists,
        IQueryable<BuildHooks.Core.Model.Delivery> deliveries, string? status, string? limit, string? before, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, before, out var page, out var refused))
        {
            return refused!;
        }

        DeliveryStatus? wanted = null;
        if (status is not null)
        {
            if (!EnumName.TryParse<DeliveryStatus>(status, out var parsed))
            {
                return TypedResults.Problem(statusCode: 400, title: "Unknown status",
                    detail: "status must be one of: pending, held, succeeded, failed, cancelled.");
            }

            wanted = parsed;
        }

        if (!await exists())
        {
            return NotFound.Problem(owner, ownerId);
        }

        var rows = await deliveries.AsNoTracking().NewestFirst(wanted, page.Before).Take(page.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(d => DeliveryView.From(d, withPayload: false)).ToList());
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(string id, BuildHooksDb db, CancellationToken cancellationToken)
    {
        var key = new DeliveryKey(id);
        if (await key.FindAsync(db, cancellationToken) is not { } delivery)
        {
            return key.NotFound();
        }

        var attempts = await db.Attempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Number).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(DeliveryView.From(delivery, withPayload: true, attempts.Select(AttemptView.From).ToList()));
    }

    private static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(
        string id, BuildHooksDb db, HookControl control, CancellationToken cancellationToken)
    {
        var key = new DeliveryKey(id);
        if (await key.FindAsync(db, cancellationToken) is not { } delivery)
        {
            return key.NotFound();
        }

        var hookEnabled = await db.Hooks.AnyAsync(h => h.Id == delivery.HookId && h.Enabled, cancellationToken);
        if (Refusals.Redeliver(delivery, hookEnabled) is { } refusal)
        {
            return TypedResults.Problem(statusCode: 409, title: refusal.Title, detail: refusal.Detail);
        }

        await control.RedeliverAsync(delivery, cancellationToken);
        // Its hook may have been deleted meanwhile, taking the delivery with it.
        return await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == delivery.Id, cancellationToken) is { } fresh
            ? TypedResults.Accepted($"/api/deliveries/{fresh.Id}", DeliveryView.From(fresh, withPayload: false))
            : key.NotFound();
    }

    private static async Task<Results<Accepted<RecoverResult>, ProblemHttpResult>> RecoverAsync(
        long hookId, RecoverRequest body, BuildHooksDb db, HookControl control, CancellationToken cancellationToken)
    {
        if (body.Since is not { } since)
        {
            return TypedResults.Problem(statusCode: 400, title: "since is required",
                detail: "Give since as an ISO 8601 time, e.g. {\"since\": \"2026-11-24T00:00:00Z\"}.");
        }

        if (await db.Hooks.FirstOrDefaultAsync(h => h.Id == hookId, cancellationToken) is not { } hook)
        {
            return NotFound.Problem("Hook", hookId);
        }

        if (Refusals.Recover(hook) is { } refusal)
        {
            return TypedResults.Problem(statusCode: 409, title: refusal.Title, detail: refusal.Detail);
        }

        return TypedResults.Accepted($"/api/hooks/{hookId}/deliveries?status=pending",
            new RecoverResult(await control.RecoverAsync(hook, since, cancellationToken)));
    }
}
