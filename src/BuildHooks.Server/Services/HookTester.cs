using System.Text.Json;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Delivery.Intake;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Delivery.Sending;
using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using BuildHooks.Storage.Hooks;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Services;

/// <summary>
/// The "test" button: sends a realistic payload at once (even to a disabled hook), logs it as a
/// test delivery with its attempt, and returns the receiver's answer.
/// </summary>
public sealed class HookTester(
    BuildHooksDb db, WriteGate writes, HookSender sender, SecretProtector secrets, PublicUrls urls, HookActivity activity, DeliveryMetrics metrics, TimeProvider time)
{
    /// <remarks>
    /// The caller's <paramref name="cancellationToken"/> is not passed to the attempt or its write: once the request
    /// goes out the receiver may act on it, so it is logged even when the caller has gone away (the hook's timeout
    /// still bounds the attempt). Cancelling used to drop it, leaving a webhook-id the receiver logged and the log did not.
    /// </remarks>
    public async Task<TestResult> TestAsync(Project project, Hook hook, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var build = await db.Builds.AsNoTracking()
            .Where(b => b.ProjectId == project.Id && b.Status != BuildStatus.Running)
            .OrderByDescending(b => b.Id)
            .FirstOrDefaultAsync(cancellationToken) ?? SampleBuild.For(project, now);
        // The sample build is not stored, so it has no page: its build_url is the project's, so that no link in it leads nowhere.
        var link = build.Id == 0 ? urls.Project(project.Id) : urls.Build(project.Id, build.Id);
        var payload = PayloadRenderer.Render(new BuildEvent(build, project, hook, link, []), now);
        var delivery = new BuildHooks.Core.Model.Delivery
        {
            WebhookId = WebhookIds.New(),
            HookId = hook.Id,
            ProjectId = project.Id,
            BuildId = build.Id == 0 ? null : build.Id,
            Kind = DeliveryKind.Test,
            Payload = payload.Body,
            ContentType = payload.ContentType,
            CreatedAtMs = now.ToUnixTimeMilliseconds(),
            NextAttemptAtMs = now.ToUnixTimeMilliseconds(),
        };

        SendResult sent;
        try
        {
            var signing = secrets.ForSigning(hook.Secret, hook.PreviousSecret, hook.PreviousSecretExpiresAtMs, now);
            sent = await sender.SendAsync(new OutgoingRequest(
                delivery.WebhookId, hook.Url, payload.Body, payload.ContentType, signing, hook.Headers, 1,
                TimeSpan.FromSeconds(hook.TimeoutSeconds), IsTest: true, AllowInsecureTls: hook.AllowInsecureTls), CancellationToken.None);
        }
        catch (SecretUnreadableException e)
        {
            sent = new SendResult(false, null, "{}", null, null, TimeSpan.Zero, e.Message, null);
        }

        // The test is logged once it is answered, so the dispatcher never sees it as pending work.
        delivery.Status = sent.Succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed;
        delivery.AttemptCount = 1;
        delivery.CompletedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        delivery.LastStatusCode = sent.StatusCode;
        delivery.LastError = sent.Error;
        await db.WriteAsync(writes, async () =>
        {
            await db.HoldHookAsync(hook.Id, CancellationToken.None);
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync(CancellationToken.None);
            db.Attempts.Add(sent.ToAttempt(delivery.Id, 1, AttemptTrigger.Test, now, UrlRedaction.Redact(hook.Url)));
            return await db.SaveChangesAsync(CancellationToken.None);
        }, CancellationToken.None);

        // Counted once written, as the dispatcher's attempts are, whether the receiver took it or not.
        metrics.Tested(sent.Succeeded, sent.Duration);
        activity.Touch(hook.Id);
        return new TestResult(delivery.Id, sent.Succeeded, sent.StatusCode, (int)sent.Duration.TotalMilliseconds, sent.ResponseBody, sent.Error);
    }
}
