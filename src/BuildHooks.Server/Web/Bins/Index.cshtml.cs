using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Bins;

public sealed class BinsModel(BinStore bins, BinUrls urls) : PageModel
{
    public List<(Bin Bin, int Requests)> Rows { get; private set; } = [];
    public List<string> Errors { get; } = [];
    public BinUrls Urls => urls;

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int ResponseStatus { get; set; } = 200;

    /// <summary>"in 47 h", "in 12 min": how long until a bin expires.</summary>
    public static string Until(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        return left.TotalMinutes < 1 ? "in under a minute"
            : left.TotalHours < 1 ? $"in {(int)left.TotalMinutes} min"
            : left.TotalDays < 2 ? $"in {(int)left.TotalHours} h"
            : $"in {(int)left.TotalDays} d";
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await bins.ListAsync(100, long.MaxValue, cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        // A status that is not a number ("abc") would keep 200 and make a bin answering 200.
        var status = FormNumbers.Bound(ModelState, nameof(ResponseStatus), ResponseStatus);
        var write = new BinWrite(string.IsNullOrWhiteSpace(Name) ? null : Name, status, null);
        var validation = write.Validate();
        if (!validation.IsValid)
        {
            Errors.AddRange(validation.Problem().ProblemDetails.Errors.SelectMany(e => e.Value));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        var bin = await bins.CreateAsync(write, cancellationToken);
        return Redirect($"{BinUrls.PagePrefix}/{bin.Key}");
    }

    /// <summary>"Send this project's hooks here": a bin, and a hook of the project pointing at it (default format, every result).</summary>
    public async Task<IActionResult> OnPostForProjectAsync(
        long projectId, [FromServices] BuildHooksDb db, [FromServices] WriteGate gate, [FromServices] SecretProtector secrets,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) is not { } project)
        {
            return NotFoundPage.For(this, $"project {projectId}");
        }

        // Cut before a surrogate pair rather than through it, which would store U+FFFD in place of an emoji.
        var cut = project.Name.Length > 90 && char.IsHighSurrogate(project.Name[89]) ? 89 : 90;
        var name = project.Name.Length > cut ? project.Name[..cut] : project.Name;
        var bin = await bins.CreateAsync(new BinWrite($"{name} hooks", null, null), cancellationToken);
        // The same hook the Webhooks tab and POST /api/projects/{id}/hooks make, defaults and all.
        var hook = new HookWrite(urls.Capture(bin.Key), null, null, ["any"], null, true, null, null, null)
            .ToHook(projectId, secrets.Protect(WebhookSecret.Generate()), time.GetUtcNow());
        await db.WriteAsync(gate, async () =>
        {
            db.Hooks.Add(hook);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return Redirect($"{BinUrls.PagePrefix}/{bin.Key}?hook={hook.Id}");
    }
}
