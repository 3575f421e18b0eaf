using BuildHooks.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BuildHooks.Server.Web;

public sealed class SignInModel(AdminToken adminToken) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 512 || !adminToken.Matches(token.Trim()))
        {
            // A little friction for anyone guessing; a person who mistyped does not notice it.
            await Task.Delay(TimeSpan.FromMilliseconds(300), HttpContext.RequestAborted);
            Error = "That is not the admin token. Copy it from data/admin-token or the server's first start-up message.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignInAsync(WebInterface.Scheme, WebInterface.Admin(), new AuthenticationProperties { IsPersistent = true });
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/projects");
    }
}
