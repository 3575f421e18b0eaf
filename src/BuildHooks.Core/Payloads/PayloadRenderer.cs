using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>Renders a build event in the hook's format and content type.</summary>
public static class PayloadRenderer
{
    public const string EventType = "build.finished";
    public const string JsonContentType = "application/json";
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>The form field that carries the JSON, so that a receiver can do <c>JSON.parse(params[:payload])</c>.</summary>
    public const string FormField = "payload";

    private static readonly byte[] FormPrefix = "payload="u8.ToArray();

    // The body goes to machines and into the delivery log, never into an HTML page, so names such as
    // "José" and URLs with '&' stay readable instead of becoming \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static RenderedPayload Render(BuildEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            switch (e.Hook.Format)
            {
                case PayloadFormat.Magnum:
                    MagnumPayload.Write(json, e);
                    break;
                case PayloadFormat.Shipio:
                    ShipIoPayload.Write(json, e);
                    break;
                case PayloadFormat.Standard:
                    StandardPayload.Write(json, e, now);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(e), e.Hook.Format, "Unknown payload format.");
            }
        }

        return e.Hook.ContentType switch
        {
            HookContentType.Json => new RenderedPayload(buffer.WrittenSpan.ToArray(), JsonContentType),
            HookContentType.Form => new RenderedPayload(FormBody(buffer.WrittenSpan), FormContentType),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Hook.ContentType, "Unknown content type."),
        };
    }

    private static byte[] FormBody(ReadOnlySpan<byte> json)
    {
        var encoded = WebUtility.UrlEncodeToBytes(json.ToArray(), 0, json.Length)!;
        var body = new byte[FormPrefix.Length + encoded.Length];
        FormPrefix.CopyTo(body, 0);
        encoded.CopyTo(body, FormPrefix.Length);
        return body;
    }
}
