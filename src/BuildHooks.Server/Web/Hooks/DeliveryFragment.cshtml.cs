using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>One delivery of the log, rendered for the hook page to insert or replace when the live stream names it.</summary>
public sealed class DeliveryFragmentModel(BuildHooksDb db) : PageModel
{
    public DeliveryRow Row { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var rows = await DeliveryLog.ReadAsync(db, db.Deliveries.Where(d => d.Id == id), cancellationToken);
        if (rows.Count == 0)
        {
            return NotFound();
        }

        Row = rows[0];
        return Page();
    }
}
