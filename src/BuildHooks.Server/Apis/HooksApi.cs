using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
        api.MapPost("/{hookId:long}/rotate-secret", RotateSecretAsync);
        return app;
    }

    private static async Task<Results<Created<HookView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long projectId, HookWrite body, BuildHooksDb db, OutboundGuard guard, SecretProtector secrets, TimeProvider time, CancellationToken cancellationToken)
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
        var hook = body.ToHook(projectId, secrets.Protect(secret), time.GetUtcNow());

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
        if (await Find(db, projectId, hookId, cancellationToken) is not { } hook)
        {
            return NotFound.Problem("Hook", hookId);
        }

        // Against the stored headers: a credential sent back as GET showed it ("[REDACTED]") keeps its value.
        var validation = body.Validate(creating: false, hook.Headers);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        await control.UpdateAsync(hook, body, cancellationToken);
        var warning = body.Url is null ? null : await guard.WarningForAsync(new Uri(hook.Url), cancellationToken);
        return TypedResults.Ok(HookView.From(hook) with { Warning = warning });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long projectId, long hookId, HookControl control, CancellationToken cancellationToken) =>
        await control.DeleteAsync(projectId, hookId, cancellationToken) ? TypedResults.NoContent() : NotFound.Problem("Hook", hookId);

    private static async Task<Results<Ok<TestResult>, ProblemHttpResult>> TestAsync(
        long projectId, long hookId, BuildHooksDb db, HookTester tester, CancellationToken cancellationToken)
    {
        // Hook and project in one read: a project deleted between two reads would leave the hook without one.
        var found = await db.Hooks.AsNoTracking()
            .Where(h => h.Id == hookId && h.ProjectId == projectId)
            .Join(db.Projects.AsNoTracking(), h => h.ProjectId, p => p.Id, (hook, project) => new { hook, project })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null
            ? NotFound.Problem("Hook", hookId)
            : TypedResults.Ok(await tester.TestAsync(found.project, found.hook, cancellationToken));
    }

    /// <summary>A new secret now; the old one keeps signing beside it for the configured overlap, so receivers can switch without losing a message.</summary>
    private static async Task<Results<Ok<SecretRotation>, ProblemHttpResult>> RotateSecretAsync(
        long projectId, long hookId, BuildHooksDb db, HookControl control, CancellationToken cancellationToken) =>
        await Find(db, projectId, hookId, cancellationToken) is { } hook
            ? TypedResults.Ok(await control.RotateSecretAsync(hook, cancellationToken))
            : NotFound.Problem("Hook", hookId);

    private static Task<Hook?> Find(BuildHooksDb db, long projectId, long hookId, CancellationToken cancellationToken) =>
        db.Hooks.FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken);
}
