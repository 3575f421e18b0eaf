using BuildHooks.Core.Model;
using BuildHooks.Server.Services.Bins;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Bins;

public sealed class BinModel(BinStore bins, BinUrls urls, BuildHooksDb db) : PageModel
{
    public const int Shown = 100;

    public Bin Bin { get; private set; } = null!;
    public string CaptureUrl => urls.Capture(Bin.Key);
    public List<BinRequest> Requests { get; private set; } = [];
    public int Total { get; private set; }

    /// <summary>The hook "Send this project's hooks here" just made, to link back to its project.</summary>
    public Hook? CreatedHook { get; private set; }

    public async Task<IActionResult> OnGetAsync(string key, long? hook, CancellationToken cancellationToken)
    {
        if (await bins.FindAsync(key, cancellationToken) is not { } bin)
        {
            return NotFoundPage.For(this, $"request bin {key}", "it expired or was deleted");
        }

        Bin = bin;
        Requests = await db.BinRequests.AsNoTracking().Where(r => r.BinId == bin.Id).OrderByDescending(r => r.Id).Take(Shown).ToListAsync(cancellationToken);
        Total = await bins.CountRequestsAsync(bin.Id, cancellationToken);
        if (hook is { } hookId)
        {
            CreatedHook = await db.Hooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hookId, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string key, CancellationToken cancellationToken)
    {
        await bins.DeleteAsync(key, cancellationToken);
        return Redirect(BinUrls.PagePrefix);
    }
}
