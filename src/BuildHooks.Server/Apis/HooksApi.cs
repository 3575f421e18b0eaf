using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery.Network;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Apis;

public static class HooksApi
{
    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{projectId:long}/hooks").WithTags("Hooks").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{hookId:long}", GetAsync);
        api.MapPatch("/{hookId:long}", UpdateAsync);
        api.MapDelete("/{hookId:long}", DeleteAsync);
        api.MapPost("/{hookId:long}/test", TestAsync);
        return app;
    }

    private static async Task<Results<Created<HookView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long projectId, HookWrite body, BuildHooksDb db, OutboundGuard guard, TimeProvider time, CancellationToken cancellationToken)
    {
        var validation = body.Validate(creating: true);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
        {
            return NotFound.Problem("Project", projectId);
        }

        var secret = WebhookSecret.Generate();
        var hook = new Hook { ProjectId = projectId, Url = body.Url!, Secret = secret, CreatedAt = time.GetUtcNow(), Enabled = body.Enabled ?? true };
        body.ApplyTo(hook);
        if (!hook.Enabled)
        {
            hook.DisabledReason = "Created disabled.";
            hook.DisabledAt = hook.CreatedAt;
        }

        db.Hooks.Add(hook);
        await db.SaveChangesAsync(cancellationToken);
        var warning = await guard.WarningForAsync(new Uri(hook.Url), cancellationToken);
        return TypedResults.Created($"/api/projects/{projectId}/hooks/{hook.Id}", HookView.From(hook) with { Secret = secret, Warning = warning });
    }

    private static async Task<Results<Ok<List<HookView>>, ProblemHttpResult>> ListAsync(long projectId, BuildHooksDb db, CancellationToken cancellationToken)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
        {
            return NotFound.Problem("Project", projectId);
        }

        var hooks = await db.Hooks.AsNoTracking().Where(h => h.ProjectId == projectId).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(hooks.Select(HookView.From).ToList());
    }

    private static async Task<Results<Ok<HookView>, ProblemHttpResult>> GetAsync(long projectId, long hookId, BuildHooksDb db, CancellationToken cancellationToken) =>
        await Find(db, projectId, hookId, cancellationToken) is { } hook ? TypedResults.Ok(HookView.From(hook)) : NotFound.Problem("Hook", hookId);

    private static async Task<Results<Ok<HookView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long projectId, long hookId, HookWrite body, BuildHooksDb db, HookControl control, OutboundGuard guard, CancellationToken cancellationToken)
    {
        var validation = body.Validate(creating: false);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (await Find(db, projectId, hookId, cancellationToken) is not { } hook)
        {
            return NotFound.Problem("Hook", hookId);
        }

        body.ApplyTo(hook);
        await db.SaveChangesAsync(cancellationToken);
        if (body.Enabled is { } enabled && enabled != hook.Enabled)
        {
            await control.SetEnabledAsync(hook, enabled, cancellationToken);
        }

        var warning = body.Url is null ? null : await guard.WarningForAsync(new Uri(hook.Url), cancellationToken);
        return TypedResults.Ok(HookView.From(hook) with { Warning = warning });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long projectId, long hookId, BuildHooksDb db, SqliteDatabase sqlite, CancellationToken cancellationToken)
    {
        var deleted = await db.WriteAsync(sqlite, () => db.Hooks.Where(h => h.Id == hookId && h.ProjectId == projectId).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        return deleted > 0 ? TypedResults.NoContent() : NotFound.Problem("Hook", hookId);
    }

    private static async Task<Results<Ok<TestResult>, ProblemHttpResult>> TestAsync(
        long projectId, long hookId, BuildHooksDb db, HookTester tester, CancellationToken cancellationToken)
    {
        if (await Find(db, projectId, hookId, cancellationToken) is not { } hook)
        {
            return NotFound.Problem("Hook", hookId);
        }

        var project = await db.Projects.AsNoTracking().FirstAsync(p => p.Id == projectId, cancellationToken);
        return TypedResults.Ok(await tester.TestAsync(project, hook, cancellationToken));
    }

    private static Task<Hook?> Find(BuildHooksDb db, long projectId, long hookId, CancellationToken cancellationToken) =>
        db.Hooks.FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken);
}
