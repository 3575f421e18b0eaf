using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json.Serialization;
using BuildHooks.Core.Model;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>Body of POST /api/projects/{id}/hooks and PATCH …/hooks/{hook_id}; absent fields keep their value.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HookWrite(
    [property: Description("Required when creating a hook.")] string? Url = null,
    string? Format = null,
    string? ContentType = null,
    List<string>? Triggers = null,
    List<string>? Branches = null,
    bool? Enabled = null,
    [property: Range(1, HookWrite.MaxAttemptsLimit)] int? MaxAttempts = null,
    [property: Range(1, HookWrite.MaxTimeoutSeconds)] int? TimeoutSeconds = null,
    Dictionary<string, string>? Headers = null)
{
    /// <summary>The most attempts a hook may ask for, and the longest wait for an answer: one bound for the check, the OpenAPI document and the form.</summary>
    public const int MaxAttemptsLimit = 20;
    public const int MaxTimeoutSeconds = 120;

    /// <summary>Headers BuildHooks sets itself; a hook may not replace them.</summary>
    private static readonly string[] Reserved =
        ["content-type", "content-length", "host", "user-agent", "transfer-encoding", "connection", "x-hub-signature-256"];

    /// <summary>
    /// Deliver even when the receiver's TLS certificate does not verify (self-signed, expired, wrong name). Off by
    /// default; an init property rather than a constructor parameter so that callers building a HookWrite keep compiling.
    /// </summary>
    public bool? AllowInsecureTls { get; init; }

    /// <param name="storedHeaders">The hook's headers when changing it, which a credential sent back redacted keeps (see <see cref="HookHeaders"/>).</param>
    public Validation Validate(bool creating, IReadOnlyDictionary<string, string>? storedHeaders = null)
    {
        var v = new Validation();
        if (creating || Url is not null)
        {
            v.Check(Urls.IsHttp(Url), "url", "url must be an absolute http or https URL of at most 2048 characters, such as https://example.com/hooks/build.");
            if (Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            {
                v.Add("url", "url must not carry a user name or password; send credentials in a custom header instead.");
            }
        }

        v.Check(Format is null || EnumName.TryParse<PayloadFormat>(Format, out _), "format", "format must be one of: magnum, shipio, standard.")
         .Check(ContentType is null || EnumName.TryParse<HookContentType>(ContentType, out _), "content_type", "content_type must be form or json.")
         .Check(MaxAttempts is null or (>= 1 and <= MaxAttemptsLimit), "max_attempts", $"max_attempts must be between 1 (deliver once) and {MaxAttemptsLimit}.")
         .Check(TimeoutSeconds is null or (>= 1 and <= MaxTimeoutSeconds), "timeout_seconds", $"timeout_seconds must be between 1 and {MaxTimeoutSeconds}.");
        if (Triggers is not null)
        {
            v.Check(Triggers.Count > 0, "triggers", "triggers must name at least one of: pass, fail, error, any, fixed, broken.");
            foreach (var t in Triggers)
            {
                v.Check(EnumName.TryParse<HookTrigger>(t, out _), "triggers", $"'{t}' is not a trigger; use pass, fail, error, any, fixed or broken.");
            }
        }

        if (Branches is not null)
        {
            v.Check(Branches.Count <= 50, "branches", "at most 50 branch filters.");
            foreach (var b in Branches)
            {
                v.Check(!string.IsNullOrWhiteSpace(b) && b.Length <= 255, "branches", "each branch filter must be a non-empty glob of at most 255 characters, such as release/*.");
            }
        }

        if (Headers is not null)
        {
            v.Check(Headers.Count <= 20, "headers", "at most 20 custom headers.");
            foreach (var (name, value) in Headers)
            {
                v.Check(IsToken(name), "headers", $"'{name}' is not a valid header name.")
                 .Check(value is not null && value.Length <= 4096 && TextRules.IsOneLine(value), "headers", $"the value of '{name}' must be one line of at most 4096 characters.")
                 // The sender's HttpClient refuses a header value outside ASCII, so such a hook could never deliver anything.
                 .Check(value is null || Ascii.IsValid(value), "headers", $"the value of '{name}' must be ASCII: a delivery cannot send other characters in a header; percent-encode them.")
                 .Check(!Reserved.Contains(name.ToLowerInvariant()) && !name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("x-buildhooks-", StringComparison.OrdinalIgnoreCase),
                        "headers", $"'{name}' is set by BuildHooks and cannot be replaced.");
            }

            HookHeaders.Check(v, Headers, creating ? null : storedHeaders);
        }

        return v;
    }

    /// <summary>The new hook a valid create request describes; <paramref name="protectedSecret"/> is the secret as stored.</summary>
    public Hook ToHook(long projectId, string protectedSecret, DateTimeOffset now)
    {
        var hook = new Hook { ProjectId = projectId, Url = Url!, Secret = protectedSecret, CreatedAt = now, Enabled = Enabled ?? true };
        ApplyTo(hook);
        if (!hook.Enabled)
        {
            hook.DisabledReason = "Created disabled.";
            hook.DisabledAt = now;
        }

        return hook;
    }

    public void ApplyTo(Hook hook)
    {
        if (Url is not null) hook.Url = Url;
        if (Format is not null) hook.Format = Enum.Parse<PayloadFormat>(Format, true);
        if (ContentType is not null) hook.ContentType = Enum.Parse<HookContentType>(ContentType, true);
        if (Triggers is not null) hook.Triggers = Triggers.Select(t => Enum.Parse<HookTrigger>(t, true)).Distinct().ToList();
        if (Branches is not null) hook.Branches = Branches;
        if (MaxAttempts is { } m) hook.MaxAttempts = m;
        if (TimeoutSeconds is { } t) hook.TimeoutSeconds = t;
        if (Headers is not null) hook.Headers = HookHeaders.Resolve(Headers, hook.Headers);
        if (AllowInsecureTls is { } insecure) hook.AllowInsecureTls = insecure;
    }

    private static bool IsToken(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
