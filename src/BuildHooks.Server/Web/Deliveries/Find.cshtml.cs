using BuildHooks.Server.Apis;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Deliveries;

/// <summary>
/// "Find" in the header: the webhook-id a receiver logged (or a delivery's number) leads to the delivery, opened in its
/// hook's log, without knowing the project or the hook. It names deliveries as the API does (<see cref="DeliveryKey"/>).
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

        if (await new DeliveryKey(WebhookId).FindAsync(db, cancellationToken) is not { } delivery
            || await db.Hooks.AsNoTracking().Where(h => h.Id == delivery.HookId).Select(h => (long?)h.ProjectId).FirstOrDefaultAsync(cancellationToken) is not { } projectId)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        return Redirect($"/projects/{projectId}/hooks/{delivery.HookId}?delivery={delivery.Id}#delivery-{delivery.Id}");
    }
}
