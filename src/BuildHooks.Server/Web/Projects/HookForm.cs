using BuildHooks.Core;
using BuildHooks.Core.Model;
using BuildHooks.Delivery.Sending;
using BuildHooks.Server.Contracts;

namespace BuildHooks.Server.Web.Projects;

/// <summary>
/// The fields of the Webhooks tab's add and edit forms, as the browser posts them. It only reshapes them into the
/// API's <see cref="HookWrite"/>, whose validation and <c>ApplyTo</c> decide what is allowed; nothing is checked twice.
/// </summary>
public sealed class HookForm
{
    public static readonly string[] TriggerNames = ["pass", "fail", "error", "any", "fixed", "broken"];

    public string? Url { get; set; }
    public string Format { get; set; } = "magnum";
    public string ContentType { get; set; } = "form";
    public List<string> Triggers { get; set; } = ["any"];

    /// <summary>Globs separated by commas, spaces or lines.</summary>
    public string? Branches { get; set; }

    /// <summary>Custom header rows, by position; a row with neither name nor value is ignored.</summary>
    public List<string?> HeaderNames { get; set; } = [];

    public List<string?> HeaderValues { get; set; } = [];
    public bool Enabled { get; set; } = true;
    public int? MaxAttempts { get; set; } = RetryPolicy.DefaultMaxAttempts;
    public int? TimeoutSeconds { get; set; } = 15;

    /// <summary>Deliver even when the receiver's certificate does not verify (the API's allow_insecure_tls).</summary>
    public bool AllowInsecureTls { get; set; }

    public static HookForm From(Hook hook) => new()
    {
        Url = hook.Url,
        Format = Display.Lower(hook.Format),
        ContentType = Display.Lower(hook.ContentType),
        Triggers = hook.Triggers.Select(Display.Lower).ToList(),
        Branches = string.Join(", ", hook.Branches),
        HeaderNames = [.. hook.Headers.Keys],
        // Credentials are not sent back to the browser; an empty value keeps the stored one (see HookHeaders).
        HeaderValues = [.. hook.Headers.Select(h => HeaderRedaction.IsSecret(h.Key) ? "" : h.Value)],
        Enabled = hook.Enabled,
        MaxAttempts = hook.MaxAttempts,
        TimeoutSeconds = hook.TimeoutSeconds,
        AllowInsecureTls = hook.AllowInsecureTls,
    };

    /// <summary>
    /// The same request the API takes. A credential's field left empty is passed on empty: validation and ApplyTo keep the
    /// stored value then, as they do for "[REDACTED]" from the API (<see cref="HookHeaders"/>).
    /// </summary>
    public HookWrite ToWrite()
    {
        var branches = (Branches ?? "").Split([',', '\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Math.Max(HeaderNames.Count, HeaderValues.Count); i++)
        {
            var name = (i < HeaderNames.Count ? HeaderNames[i] : null)?.Trim() ?? "";
            var value = (i < HeaderValues.Count ? HeaderValues[i] : null) ?? "";
            if (name.Length == 0 && value.Length == 0)
            {
                continue;
            }

            // A value without a name reaches the hook's validation as the empty name, which says what is wrong.
            headers[name] = value;
        }

        return new HookWrite(
            Url: Url?.Trim(), Format: Format, ContentType: ContentType, Triggers: Triggers, Branches: branches,
            Enabled: Enabled, MaxAttempts: MaxAttempts, TimeoutSeconds: TimeoutSeconds, Headers: headers)
        {
            AllowInsecureTls = AllowInsecureTls,
        };
    }

    /// <summary>
    /// A header name given in two rows (in any case), or null. The API's map holds one value per name, so the later row
    /// would silently replace the earlier one.
    /// </summary>
    public string? RepeatedHeader() => HeaderNames.Select(n => n?.Trim() ?? "").Where(n => n.Length > 0)
        .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;

    /// <summary>Rows to render: the hook's headers and one empty row to add another (more with the page's script).</summary>
    public IEnumerable<(string Name, string Value, bool Secret)> Rows()
    {
        for (var i = 0; i < HeaderNames.Count; i++)
        {
            var name = HeaderNames[i] ?? "";
            if (name.Length > 0 || (i < HeaderValues.Count && !string.IsNullOrEmpty(HeaderValues[i])))
            {
                yield return (name, i < HeaderValues.Count ? HeaderValues[i] ?? "" : "", HeaderRedaction.IsSecret(name));
            }
        }

        yield return ("", "", false);
    }
}
