namespace BuildHooks.Delivery.Intake;

/// <summary>Standard Webhooks message ids: unique, and time-ordered so logs sort naturally.</summary>
public static class WebhookIds
{
    public static string New() => "msg_" + Guid.CreateVersion7().ToString("N");
}
