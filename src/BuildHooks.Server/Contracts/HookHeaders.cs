using BuildHooks.Delivery.Sending;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>
/// How a hook's headers sent back by a client (the API's PATCH, the edit form) meet the stored ones. A credential is
/// never shown again (GET answers "[REDACTED]", the form an empty field), so that value, or an empty one, for a
/// credential-like header means "keep what is stored"; a header left out of the map is removed.
/// </summary>
public static class HookHeaders
{
    /// <summary>Refuses a value that would store nothing usable: empty, or a request to keep a credential that is not stored.</summary>
    public static void Check(Validation v, IReadOnlyDictionary<string, string> sent, IReadOnlyDictionary<string, string>? stored)
    {
        foreach (var (name, value) in sent)
        {
            if (value is null)
            {
                continue; // HookWrite.Validate names it
            }

            if (KeepsStored(name, value))
            {
                v.Check(StoredValue(stored, name) is not null, "headers",
                    $"'{name}' has no stored value to keep: send its real value, or leave it out of headers.");
            }
            else
            {
                v.Check(value.Length > 0, "headers",
                    $"the value of '{name}' is empty: give one, or leave the header out of headers to remove it.");
            }
        }
    }

    /// <summary>The headers to store: <paramref name="sent"/> with each kept credential replaced by its stored value.</summary>
    public static Dictionary<string, string> Resolve(IReadOnlyDictionary<string, string> sent, IReadOnlyDictionary<string, string>? stored) =>
        sent.ToDictionary(h => h.Key, h => KeepsStored(h.Key, h.Value) && StoredValue(stored, h.Key) is { } kept ? kept : h.Value);

    private static bool KeepsStored(string name, string value) =>
        HeaderRedaction.IsSecret(name) && (value.Length == 0 || value == HeaderRedaction.Redacted);

    /// <summary>The stored value of <paramref name="name"/> (header names are case-insensitive), unless it is nothing worth keeping.</summary>
    private static string? StoredValue(IReadOnlyDictionary<string, string>? stored, string name) =>
        stored?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value && value != HeaderRedaction.Redacted
            ? value
            : null;
}
