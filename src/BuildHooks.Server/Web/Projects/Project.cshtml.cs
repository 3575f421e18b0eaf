using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Web.Projects;

public sealed class ProjectModel(BuildHooksDb db, WriteGate writes, PublicUrls urls, IOptions<DeliveryOptions> delivery, TimeProvider time) : PageModel
{
    public sealed record CreatedHook(Hook Hook, string Secret, string? Warning);

    public sealed record RotatedSecret(Hook Hook, SecretRotation Rotation);

    public Project Project { get; private set; } = null!;
    public List<Build> Builds { get; private set; } = [];
    public List<Hook> Hooks { get; private set; } = [];
    public string BaseUrl => urls.Base;

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public TimeSpan SecretOverlap => delivery.Value.SecretRotationOverlap;

    /// <summary>The receiver's answer to a "Test" press, by hook id.</summary>
    public Dictionary<long, TestResult> Tests { get; } = [];

    public CreatedHook? Created { get; private set; }
    public RotatedSecret? Rotated { get; private set; }

    /// <summary>What the last change did, said in the dialog ("Hook saved.").</summary>
    public string? Notice { get; private set; }

    public string? Warning { get; private set; }
    public List<string> Errors { get; } = [];
    public List<string> RenameErrors { get; } = [];

    /// <summary>The hook whose edit form the Webhooks tab shows instead of the add form.</summary>
    public Hook? Editing { get; private set; }

    /// <summary>Open the Manage Notifications dialog on load (after a change in it, or to fix its form).</summary>
    public bool OpenNotifications { get; private set; }

    [BindProperty] public HookForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long id, long? edit, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Missing(id);
        }

        if (edit is { } hookId)
        {
            // A deleted hook's edit link (the back button after Delete) says so, instead of a project page without the form.
            if (Hooks.FirstOrDefault(h => h.Id == hookId) is not { } hook)
            {
                return Missing(id, hookId);
            }

            Editing = hook;
            Form = HookForm.From(hook);
            OpenNotifications = true;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(long id, long hookId, [FromServices] HookTester tester, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Hooks.FirstOrDefault(h => h.Id == hookId) is not { } hook)
        {
            return Missing(id, hookId);
        }

        Tests[hookId] = await tester.TestAsync(Project, hook, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddHookAsync(long id, [FromServices] SecretProtector secrets, [FromServices] OutboundGuard guard, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Missing(id);
        }

        NoTriggersMeansNone();
        RefuseNumbersThatAreNot();
        var write = Form.ToWrite();
        OpenNotifications = true;
        if (!Valid(write.Validate(creating: true), Form))
        {
            return Page();
        }

        // The same hook the API's POST /api/projects/{id}/hooks makes: the secret is encrypted at rest and shown once, here.
        var secret = WebhookSecret.Generate();
        var hook = write.ToHook(id, secrets.Protect(secret), time.GetUtcNow());
        await db.WriteAsync(writes, async () =>
        {
            db.Hooks.Add(hook);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        Created = new CreatedHook(hook, secret, await guard.WarningForAsync(new Uri(hook.Url), cancellationToken));
        Hooks.Add(hook);
        Form = new HookForm();
        return Page();
    }

    public async Task<IActionResult> OnPostEditHookAsync(long id, long hookId, [FromServices] HookControl control, [FromServices] OutboundGuard guard, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || await TrackedHookAsync(id, hookId, cancellationToken) is not { } hook)
        {
            return Missing(id, hookId);
        }

        NoTriggersMeansNone();
        RefuseNumbersThatAreNot();
        var write = Form.ToWrite();
        OpenNotifications = true;
        Editing = hook;
        // An empty credential field keeps the stored value: the rule PATCH applies to "[REDACTED]", in HookHeaders.
        if (!Valid(write.Validate(creating: false, hook.Headers), Form))
        {
            return Page();
        }

        // The same change as PATCH /api/projects/{id}/hooks/{hook_id}.
        await control.UpdateAsync(hook, write, cancellationToken);
        Warning = await guard.WarningForAsync(new Uri(hook.Url), cancellationToken);
        Notice = $"Hook {hook.Id} saved.";
        Editing = null;
        Form = new HookForm();
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateSecretAsync(long id, long hookId, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || await TrackedHookAsync(id, hookId, cancellationToken) is not { } hook)
        {
            return Missing(id, hookId);
        }

        Rotated = new RotatedSecret(hook, await control.RotateSecretAsync(hook, cancellationToken));
        OpenNotifications = true;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteHookAsync(long id, long hookId, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Missing(id);
        }

        Notice = await control.DeleteAsync(id, hookId, cancellationToken)
            ? $"Hook {hookId} deleted with its delivery log."
            : $"Hook {hookId} was already gone.";
        OpenNotifications = true;
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(long id, string? name, string? branch, CancellationToken cancellationToken)
    {
        if (await db.Projects.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } project)
        {
            return Missing(id);
        }

        // The same rules and change as PATCH /api/projects/{id}.
        var write = new ProjectWrite(name ?? "", new RepositoryDto(null, string.IsNullOrWhiteSpace(branch) ? null : branch.Trim(), null, null));
        var validation = write.Validate(creating: false);
        if (!validation.IsValid)
        {
            RenameErrors.AddRange(validation.Problem().ProblemDetails.Errors.SelectMany(e => e.Value));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(id, cancellationToken);
            return Page();
        }

        write.ApplyTo(project);
        await db.WriteAsync(writes, () => db.SaveChangesAsync(cancellationToken), cancellationToken);
        return RedirectToPage(new { id });
    }

    private bool Valid(Infrastructure.Validation validation, HookForm form)
    {
        if (form.RepeatedHeader() is { } twice)
        {
            validation.Add("headers", $"'{twice}' is named in two rows; give each header one row (join several values with a comma).");
        }

        if (validation.IsValid)
        {
            return true;
        }

        Errors.AddRange(validation.Problem().ProblemDetails.Errors.SelectMany(e => e.Value));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return false;
    }

    /// <summary>A browser sends no field for a list of unchecked boxes; that means "no triggers", which validation refuses.</summary>
    private void NoTriggersMeansNone()
    {
        if (!Request.Form.ContainsKey("Form.Triggers"))
        {
            Form.Triggers = [];
        }
    }

    /// <summary>Max attempts or a timeout that is not a number would keep the form's default (8 attempts, 15 s) and be saved.</summary>
    private void RefuseNumbersThatAreNot()
    {
        Form.MaxAttempts = FormNumbers.Bound(ModelState, "Form.MaxAttempts", Form.MaxAttempts);
        Form.TimeoutSeconds = FormNumbers.Bound(ModelState, "Form.TimeoutSeconds", Form.TimeoutSeconds);
    }

    /// <summary>The 404 page, naming the hook when the project was found (loaded) and the hook was not.</summary>
    private IActionResult Missing(long id, long? hookId = null) =>
        NotFoundPage.For(this, hookId is { } hook && Project is not null ? $"hook {hook} in project {id}" : $"project {id}");

    private Task<Hook?> TrackedHookAsync(long projectId, long hookId, CancellationToken cancellationToken) =>
        db.Hooks.FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken);

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } project)
        {
            return false;
        }

        Project = project;
        Builds = await db.Builds.AsNoTracking().Where(b => b.ProjectId == id).OrderByDescending(b => b.Id).Take(50).ToListAsync(cancellationToken);
        Hooks = await db.Hooks.AsNoTracking().Where(h => h.ProjectId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return true;
    }
}
