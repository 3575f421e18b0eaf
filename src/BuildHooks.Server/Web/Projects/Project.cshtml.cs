using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Projects;

public sealed class ProjectModel(BuildHooksDb db, WriteGate writes, PublicUrls urls, TimeProvider time) : PageModel
{
    public static readonly string[] TriggerNames = ["pass", "fail", "error", "any", "fixed", "broken"];

    public sealed record CreatedHook(Hook Hook, string Secret, string? Warning);

    public Project Project { get; private set; } = null!;
    public List<Build> Builds { get; private set; } = [];
    public List<Hook> Hooks { get; private set; } = [];
    public string BaseUrl => urls.Base;

    /// <summary>The receiver's answer to a "Test" press, by hook id.</summary>
    public Dictionary<long, TestResult> Tests { get; } = [];

    public CreatedHook? Created { get; private set; }
    public List<string> Errors { get; } = [];

    /// <summary>Open the Manage Notifications dialog on load (after adding a hook, or to fix the form).</summary>
    public bool OpenNotifications { get; private set; }

    [BindProperty] public string? HookUrl { get; set; }
    [BindProperty] public string Format { get; set; } = "magnum";
    [BindProperty] public string ContentType { get; set; } = "form";
    [BindProperty] public List<string> Triggers { get; set; } = ["any"];
    [BindProperty] public string? Branches { get; set; }
    [BindProperty] public bool Enabled { get; set; } = true;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostTestAsync(long id, long hookId, [FromServices] HookTester tester, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Hooks.FirstOrDefault(h => h.Id == hookId) is not { } hook)
        {
            return NotFound();
        }

        Tests[hookId] = await tester.TestAsync(Project, hook, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddHookAsync(long id, [FromServices] SecretProtector secrets, [FromServices] OutboundGuard guard, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!Request.Form.ContainsKey(nameof(Triggers)))
        {
            Triggers = [];
        }

        var branches = (Branches ?? "").Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var write = new HookWrite(HookUrl?.Trim(), Format, ContentType, Triggers, branches, Enabled, null, null, null);
        var validation = write.Validate(creating: true);
        OpenNotifications = true;
        if (!validation.IsValid)
        {
            Errors.AddRange(validation.Problem().ProblemDetails.Errors.SelectMany(e => e.Value));
            Response.StatusCode = StatusCodes.Status400BadRequest;
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
        HookUrl = Branches = null;
        return Page();
    }

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
