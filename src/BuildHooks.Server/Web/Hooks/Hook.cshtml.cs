using System.Globalization;
using BuildHooks.Core.Model;
using BuildHooks.Server.Apis;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Hooks;

public sealed class HookModel(BuildHooksDb db, TimeProvider time) : PageModel
{
    private const int Shown = 50;

    public Project Project { get; private set; } = null!;
    public Hook Hook { get; private set; } = null!;
    public List<DeliveryRow> Deliveries { get; private set; } = [];

    /// <summary>The log's filter (<c>?status=</c>), or null for every delivery.</summary>
    public DeliveryStatus? Status { get; private set; }

    /// <summary>The log's page (<c>?before=</c>: deliveries older than this id), or null for the newest.</summary>
    public long? Before { get; private set; }

    /// <summary>The id the "Older deliveries" link starts below, when there are more than shown.</summary>
    public long? OlderFrom { get; private set; }

    /// <summary>
    /// Which deliveries the log takes in as they arrive: "all" on the newest page of every delivery, the status on the
    /// newest page of one (a delivery that turns failed joins the failed view), "off" on an older page, which only
    /// updates what it shows.
    /// </summary>
    public string TakesNew => Before is not null ? "off" : Status is { } shown ? Display.Lower(shown) : "all";
    public string? Message { get; private set; }

    /// <summary>The live log's stream, named the deliveries shown: those below the newest 50 are watched only when named.</summary>
    public string EventsUrl => $"/web/hooks/{Hook.Id}/deliveries/events"
        + (Deliveries.Count > 0 ? "?shown=" + string.Join(',', Deliveries.Select(r => r.Delivery.Id.ToString(CultureInfo.InvariantCulture))) : "");

    /// <summary>The notice's class: bad for a refusal, ok for work done.</summary>
    public string MessageKind { get; private set; } = "bad";

    /// <summary>The "Recover failed since…" field: yesterday at this time unless the user picked one (UTC).</summary>
    public string RecoverSince { get; private set; } = "";

    /// <summary>The page, with <paramref name="delivery"/> opened in the log, even when it is older than the newest shown.</summary>
    public async Task<IActionResult> OnGetAsync(long projectId, long hookId, long? delivery, string? status, long? before, CancellationToken cancellationToken)
    {
        // A status the log does not know shows every delivery rather than none.
        Status = EnumName.TryParse<DeliveryStatus>(status, out var shown) ? shown : null;
        Before = before;
        if (!await LoadAsync(projectId, hookId, cancellationToken))
        {
            return NotFoundPage.For(this, $"hook {hookId} in project {projectId}");
        }

        if (delivery is { } wanted && !await OpenAsync(wanted, cancellationToken))
        {
            Message = $"Delivery {wanted} is not in this hook's log: it belongs to another hook, or retention has removed it.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRedeliverAsync(long projectId, long hookId, long deliveryId, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(projectId, hookId, cancellationToken))
        {
            return NotFoundPage.For(this, $"hook {hookId} in project {projectId}");
        }

        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.HookId == hookId, cancellationToken);
        if (delivery is null)
        {
            return Refuse($"There is no delivery {deliveryId} on this hook.");
        }

        if (Refusals.Redeliver(delivery, Hook.Enabled) is { } refusal)
        {
            return Refuse(refusal.Detail);
        }

        await control.RedeliverAsync(delivery, cancellationToken);
        return BackToLog(projectId, hookId);
    }

    /// <summary>"Recover failed since…": the same as POST /api/hooks/{id}/recover. The field is read as UTC, as the page labels it.</summary>
    public async Task<IActionResult> OnPostRecoverAsync(long projectId, long hookId, string? since, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(projectId, hookId, cancellationToken))
        {
            return NotFoundPage.For(this, $"hook {hookId} in project {projectId}");
        }

        if (!DateTime.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return Refuse("Pick the date and time (UTC) from which failed deliveries should be sent again.", StatusCodes.Status400BadRequest);
        }

        RecoverSince = since!;
        if (Refusals.Recover(Hook) is { } refusal)
        {
            return Refuse(refusal.Detail);
        }

        var from = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        var count = await control.RecoverAsync(Hook, from, cancellationToken);
        MessageKind = "ok";
        Message = count switch
        {
            0 => $"No failed deliveries since {Display.Time(from)}; nothing to send again.",
            1 => $"1 failed delivery since {Display.Time(from)} is being sent again.",
            _ => $"{count} failed deliveries since {Display.Time(from)} are being sent again.",
        };
        return Page();
    }

    /// <summary>"Re-enable": as PATCH enabled=true, which also sends the held deliveries at once.</summary>
    public async Task<IActionResult> OnPostEnableAsync(long projectId, long hookId, [FromServices] HookControl control, CancellationToken cancellationToken)
    {
        if (await db.Hooks.FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken) is not { } hook)
        {
            return NotFoundPage.For(this, $"hook {hookId} in project {projectId}");
        }

        await control.SetEnabledAsync(hook, true, cancellationToken);
        return BackToLog(projectId, hookId);
    }

    /// <summary>This hook's log filtered by <paramref name="status"/>, from its newest delivery or below <paramref name="before"/>.</summary>
    public string LogUrl(DeliveryStatus? status, long? before = null)
    {
        var query = new List<string>();
        if (status is { } s)
        {
            query.Add("status=" + Display.Lower(s));
        }

        if (before is { } b)
        {
            query.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
        }

        return $"/projects/{Project.Id}/hooks/{Hook.Id}" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    private async Task<bool> OpenAsync(long deliveryId, CancellationToken cancellationToken)
    {
        if (Deliveries.FindIndex(r => r.Delivery.Id == deliveryId) is var shown and >= 0)
        {
            Deliveries[shown] = Deliveries[shown] with { Open = true };
            return true;
        }

        var older = await DeliveryLog.ReadAsync(db, db.Deliveries.Where(d => d.Id == deliveryId && d.HookId == Hook.Id), cancellationToken);
        if (older.Count == 0)
        {
            return false;
        }

        // Below the newest, where the log's order puts it; the live stream still adds new deliveries at the top.
        Deliveries.Add(older[0] with { Open = true });
        return true;
    }

    /// <summary>
    /// Back to the view of the log the button was pressed in (a filter, an older page), read from the form's Referer when
    /// it is this hook's page on this host; the buttons sit in a partial the live log also renders, which knows no view.
    /// </summary>
    private IActionResult BackToLog(long projectId, long hookId)
    {
        var path = $"/projects/{projectId}/hooks/{hookId}";
        return Uri.TryCreate(Request.Headers.Referer.ToString(), UriKind.Absolute, out var from)
            && from.AbsolutePath == path && string.Equals(from.Authority, Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? LocalRedirect(path + from.Query)
            : RedirectToPage(new { projectId, hookId });
    }

    private PageResult Refuse(string message, int status = StatusCodes.Status409Conflict)
    {
        Message = message;
        MessageKind = "bad";
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(long projectId, long hookId, CancellationToken cancellationToken)
    {
        if (await db.Hooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hookId && h.ProjectId == projectId, cancellationToken) is not { } hook)
        {
            return false;
        }

        Hook = hook;
        // The project may have been deleted (taking the hook) since the read above.
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) is not { } project)
        {
            return false;
        }

        Project = project;
        // One more than shown tells whether an older page exists.
        Deliveries = await DeliveryLog.ReadAsync(db, db.Deliveries.Where(d => d.HookId == hookId).NewestFirst(Status, Before).Take(Shown + 1), cancellationToken);
        if (Deliveries.Count > Shown)
        {
            Deliveries.RemoveAt(Shown);
            OlderFrom = Deliveries[^1].Delivery.Id;
        }

        RecoverSince = time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        return true;
    }
}
