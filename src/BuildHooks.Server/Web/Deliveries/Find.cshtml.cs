using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Deliveries;

/// <summary>
/// "Find" in the header: the webhook-id a receiver logged leads to the delivery that carried it, opened in its hook's log,
/// without knowing the project or the hook.
/// </summary>
public sealed class FindModel(BuildHooksDb db) : PageModel
{
    public string WebhookId { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "webhook_id")] string? webhookId, CancellationToken cancellationToken)
    {
        WebhookId = webhookId?.Trim() ?? "";
        if (WebhookId.Length == 0)
        {
            return Page();
        }

        var id = WebhookId;
        var found = await db.Deliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .Join(db.Hooks.AsNoTracking(), d => d.HookId, h => h.Id, (d, h) => new { d.Id, d.HookId, h.ProjectId })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        return Redirect($"/projects/{found.ProjectId}/hooks/{found.HookId}?delivery={found.Id}#delivery-{found.Id}");
    }
}
