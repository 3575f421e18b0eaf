using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BuildHooks.Server.Web;

/// <summary>
/// A form's number field that is not a number ("3x", "1.5", 99999999999) fails binding, and the property keeps its
/// default, which would be saved in place of what the user typed. Such a field reads as 0 instead, a value every
/// number check here refuses, so the page says what the API says.
/// </summary>
public static class FormNumbers
{
    public static int? Bound(ModelStateDictionary state, string field, int? value) =>
        state.GetFieldValidationState(field) == ModelValidationState.Invalid ? 0 : value;
}
