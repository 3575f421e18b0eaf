using System.Text;
using System.Text.Json;

namespace BuildHooks.Testing;

/// <summary>One request as a <see cref="Receiver"/> got it, for tests to look at after the fact.</summary>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyDictionary<string, string>? Form)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The JSON the hook sent: a form's <c>payload</c> field (Magnum's default travels so), else the body.</summary>
    public JsonElement Payload
    {
        get
        {
            var json = Form is null ? BodyText : Form.TryGetValue("payload", out var payload) ? payload : "{}";
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
    }
}
