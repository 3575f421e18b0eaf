using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace BuildHooks.Server.Web;

/// <summary>
/// The 404 page in the site's layout: a link to something that is not there (deleted, or mistyped) says which
/// thing, instead of the API's Problem Details or a bearer-token 401 a browser can do nothing with.
/// </summary>
public sealed record NotFoundPage(string Message)
{
    private const string View = "/Web/Shared/NotFound.cshtml";

    /// <summary>"No project 999 — it was deleted, or the link is wrong."</summary>
    public static IActionResult For(PageModel page, string what, string gone = "it was deleted") => new ViewResult
    {
        ViewName = View,
        StatusCode = StatusCodes.Status404NotFound,
        ViewData = new ViewDataDictionary<NotFoundPage>(page.ViewData, new NotFoundPage($"No {what} — {gone}, or the link is wrong.")),
    };

    /// <summary>The page for a request no endpoint matched.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        await RenderAsync(context, View, new NotFoundPage($"Nothing is at {context.Request.Path} — the link is wrong, or what it named was deleted."), StatusCodes.Status404NotFound);
    }

    /// <summary>Whether the caller is a browser, which is answered a page rather than Problem Details.</summary>
    internal static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A view of the site rendered outside any page (from middleware), with <paramref name="model"/>, and with the
    /// signed-in header when the browser is signed in: middleware runs before authentication reads the cookie.
    /// </summary>
    internal static async Task RenderAsync<TModel>(HttpContext context, string view, TModel model, int status)
    {
        if (await context.AuthenticateAsync(WebInterface.Scheme) is { Succeeded: true } cookie)
        {
            context.User = cookie.Principal;
        }

        var viewData = new ViewDataDictionary<TModel>(context.RequestServices.GetRequiredService<IModelMetadataProvider>(), new ModelStateDictionary())
        {
            Model = model,
        };
        await new ViewResult { ViewName = view, StatusCode = status, ViewData = viewData }
            .ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }
}
