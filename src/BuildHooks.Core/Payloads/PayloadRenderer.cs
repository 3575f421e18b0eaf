using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>CONTRACT — renders a build event in the hook's format and content type.</summary>
public static class PayloadRenderer
{
    public const string EventType = "build.finished";

    public static RenderedPayload Render(BuildEvent e, DateTimeOffset now) => throw new NotImplementedException();
}
