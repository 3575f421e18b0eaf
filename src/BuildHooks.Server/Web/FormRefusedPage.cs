using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BuildHooks.Server.Web;

/// <summary>
/// A page's form the antiforgery check refused (its token stale: the page stayed open across a browser restart or a
/// new key ring), answered to a browser in the site's layout. The Problem Details every other refusal gets showed a
/// person a bare JSON document.
/// </summary>
public sealed record FormRefusedPage(string Message)
{
    private static readonly Func<StatusCodeContext, Task> Otherwise = new StatusCodePagesOptions().HandleAsync;

    /// <summary>For UseStatusCodePages: the page for a browser's refused form, the default answer for anything else.</summary>
    public static async Task HandleAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode != StatusCodes.Status400BadRequest || !NotFoundPage.WantsHtml(http.Request) || http.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is null)
        {
            await Otherwise(context);
            return;
        }

        await NotFoundPage.RenderAsync(http, "/Web/Shared/FormRefused.cshtml",
            new FormRefusedPage("The form was not accepted and nothing was changed: its anti-forgery token is missing or stale (the page stayed open across a browser restart, say), or it arrived incomplete. Go back, reload the page and submit it again."),
            StatusCodes.Status400BadRequest);
    }
}
