using BuildHooks.Core.Model;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Hooks;

public sealed class HookModel(BuildHooksDb db) : PageModel
{
    private const int Shown = 50;

    public Project Project { get; private set; } = null!;
    public Hook Hook { get; private set; } = null!;
    public List<DeliveryRow> Deliveries { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long projectId, long hookId, CancellationToken cancellationToken) =>
        await LoadAsync(projectId, hookId, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRedeliverAsync(long projectId, long hookId, long deliveryId, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(projectId, hookId, cancellationToken))
        {
            return NotFound();
        }

        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.HookId == hookId, cancellationToken);
        // The same rules as POST /api/deliveries/{id}/redeliver.
        Message = delivery switch
        {
            null => $"There is no delivery {deliveryId} on this hook.",
            { Status: DeliveryStatus.Pending } => $"Delivery {deliveryId} is already queued.",
            _ when !Hook.Enabled => "This hook is disabled; enable it before redelivering (its held deliveries are then sent too).",
            _ => null,
        };
        if (Message is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await control.RedeliverAsync(delivery!, cancellationToken);
        return RedirectToPage(new { projectId, hookId });
    }

    private async Task<bool> LoadAsync(long projectId, long hookId, CancellationToken cancellationToken)
    {
        if (await db.Hooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken) is not { } hook)
        {
            return false;
        }

        Hook = hook;
        Project = await db.Projects.AsNoTracking().FirstAsync(p => p.Id == projectId, cancellationToken);
        Deliveries = await DeliveryLog.ReadAsync(db, db.Deliveries.Where(d => d.HookId == hookId).OrderByDescending(d => d.Id).Take(Shown), cancellationToken);
        return true;
    }
}
