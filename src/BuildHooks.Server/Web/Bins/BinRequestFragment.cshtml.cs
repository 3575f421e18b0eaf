using BuildHooks.Core.Model;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Bins;

/// <summary>One captured request, rendered for the bin page to insert when the live stream names it.</summary>
public sealed class BinRequestFragmentModel(BinStore bins, BuildHooksDb db) : PageModel
{
    public BinRequest Capture { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string key, long id, CancellationToken cancellationToken)
    {
        if (await bins.FindAsync(key, cancellationToken) is not { } bin
            || await db.BinRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.BinId == bin.Id, cancellationToken) is not { } request)
        {
            return NotFound();
        }

        Capture = request;
        return Page();
    }
}
