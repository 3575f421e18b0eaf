using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

/// <summary>Request bins: <c>/api/bins</c> to manage them (admin token), and the anonymous capture URL <c>/bins/{id}</c>.</summary>
public static class BinsApi
{
    public static IEndpointRouteBuilder MapBinsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/bins").WithTags("Request bins").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapDelete("/{id}", DeleteAsync);
        api.MapGet("/{id}/requests", RequestsAsync);

        // Anyone with the URL may send to a bin: it is what a hook, a curl or another service is pointed at.
        app.Map("/bins/{key}", BinCapture.CaptureAsync).AllowAnonymous().RequireRateLimiting(BinRateLimit.Name).ExcludeFromDescription();
        app.Map("/bins/{key}/{**rest}", BinCapture.CaptureAsync).AllowAnonymous().RequireRateLimiting(BinRateLimit.Name).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Created<BinView>, ValidationProblem>> CreateAsync(
        BinWrite? body, BinStore bins, BinUrls urls, CancellationToken cancellationToken)
    {
        // Every field is optional, so no body (or null) asks for a bin with the defaults, as {} does.
        body ??= new BinWrite(null, null, null);
        var validation = body.Validate();
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var bin = await bins.CreateAsync(body, cancellationToken);
        return TypedResults.Created($"/api/bins/{bin.Key}", View(bin, 0, urls));
    }

    private static async Task<Results<Ok<List<BinView>>, ProblemHttpResult>> ListAsync(string? limit, BinStore bins, BinUrls urls, CancellationToken cancellationToken) =>
        Paging.TryRead(limit, null, out var page, out var refused)
            ? TypedResults.Ok((await bins.ListAsync(page.Limit, long.MaxValue, cancellationToken)).Select(r => View(r.Bin, r.Requests, urls)).ToList())
            : refused!;

    private static async Task<Results<Ok<BinView>, ProblemHttpResult>> GetAsync(string id, BinStore bins, BinUrls urls, CancellationToken cancellationToken) =>
        await bins.FindAsync(id, cancellationToken) is { } bin
            ? TypedResults.Ok(View(bin, await bins.CountRequestsAsync(bin.Id, cancellationToken), urls))
            : Missing(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, BinStore bins, CancellationToken cancellationToken) =>
        await bins.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Missing(id);

    /// <summary>Captured requests, newest first, <c>limit</c> at a time, continuing below request id <c>before</c>.</summary>
    private static async Task<Results<Ok<List<BinRequestView>>, ProblemHttpResult>> RequestsAsync(
        string id, string? limit, string? before, BinStore bins, BuildHooksDb db, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(limit, before, out var page, out var refused))
        {
            return refused!;
        }

        if (await bins.FindAsync(id, cancellationToken) is not { } bin)
        {
            return Missing(id);
        }

        var from = page.Before;
        var rows = await db.BinRequests.AsNoTracking().Where(r => r.BinId == bin.Id && r.Id < from)
            .OrderByDescending(r => r.Id).Take(page.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(BinRequestView.From).ToList());
    }

    private static BinView View(Bin bin, int requests, BinUrls urls) => BinView.From(bin, requests, urls.Capture(bin.Key), urls.Page(bin.Key));

    private static ProblemHttpResult Missing(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Request bin not found",
            detail: $"There is no request bin with id '{(id.Length > 64 ? id[..64] + "…" : id)}'; bins are deleted when they expire. List the live ones with GET /api/bins.");
}
