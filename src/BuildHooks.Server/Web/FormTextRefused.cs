using BuildHooks.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace BuildHooks.Server.Web;

/// <summary>
/// The forms' counterpart of the API's <see cref="TextConverter"/>: a posted field with a control character is refused
/// before any handler runs. Form binding never meets that converter, so SQLite stored a NUL in a name that PostgreSQL
/// refused, and a crafted line break made a one-line name two lines.
/// </summary>
public sealed class FormTextRefused : IAsyncPageFilter
{
    /// <summary>The fields the forms show as a textarea, where tabs and line breaks are the user's own.</summary>
    private static readonly HashSet<string> Multiline = new(StringComparer.OrdinalIgnoreCase) { "Form.Branches" };

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.HasFormContentType && context.HandlerInstance is PageModel page && FirstRefused(await request.ReadFormAsync()) is { } refusal)
        {
            context.Result = new ViewResult
            {
                ViewName = "/Web/Shared/FormRefused.cshtml",
                StatusCode = StatusCodes.Status400BadRequest,
                ViewData = new ViewDataDictionary<FormRefusedPage>(page.ViewData, new FormRefusedPage(refusal)),
            };
            return;
        }

        await next();
    }

    private static string? FirstRefused(IFormCollection form)
    {
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                var at = value is null ? -1 : Multiline.Contains(name) ? TextRules.FirstControlInMultiline(value) : TextRules.FirstControl(value);
                if (at >= 0)
                {
                    var field = name.StartsWith("Form.", StringComparison.Ordinal) ? name["Form.".Length..] : name;
                    return $"The form was not accepted and nothing was changed: the field {field} holds a control character "
                        + $"(U+{(int)value![at]:X4}) at position {at}, which it cannot hold. Go back, remove it and submit the form again.";
                }
            }
        }

        return null;
    }
}
