namespace BuildHooks.Core.Model;

/// <summary>How the rendered JSON travels: as a form field named <c>payload</c> (Magnum's way) or as the body.</summary>
public enum HookContentType
{
    Form,
    Json,
}
