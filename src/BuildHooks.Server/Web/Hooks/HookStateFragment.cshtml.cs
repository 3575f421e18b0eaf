using BuildHooks.Core.Model;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>The hook's badge and disabled banner, rendered for the hook page to swap in when the live stream says the hook was turned off or on.</summary>
public sealed class HookStateFragmentModel(BuildHooksDb db) : PageModel
{
    public Hook Hook { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long hookId, CancellationToken cancellationToken)
    {
        if (await db.Hooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hookId, cancellationToken) is not { } hook)
        {
            return NotFound();
        }

        Hook = hook;
        return Page();
    }
}
