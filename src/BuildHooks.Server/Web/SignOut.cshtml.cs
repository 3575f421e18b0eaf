using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BuildHooks.Server.Web;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/projects");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WebInterface.Scheme);
        return Redirect("/signin");
    }
}
