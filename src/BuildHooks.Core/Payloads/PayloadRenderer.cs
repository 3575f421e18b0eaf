using System.Buffers;
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

    private static readonly SearchValues<byte> FormSafe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!*()"u8);

    private static ReadOnlySpan<byte> UpperHex => "0123456789ABCDEF"u8;

    // The body goes to machines and into the delivery log, never into an HTML page, so names such as
    // "José" and URLs with '&' stay readable instead of becoming \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly PerThreadJsonWriter Writer = new(WriterOptions);

    public static RenderedPayload Render(BuildEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var json = Writer.Start();
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

        return e.Hook.ContentType switch
        {
            HookContentType.Json => new RenderedPayload(Writer.Finish(static body => body.ToArray()), JsonContentType),
            HookContentType.Form => new RenderedPayload(Writer.Finish(FormBody), FormContentType),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Hook.ContentType, "Unknown content type."),
        };
    }

    // WebUtility.UrlEncode's form encoding (RFC 1738's safe characters stay, a space becomes '+', any other byte %XX
    // in upper case), written straight after the field name: UrlEncodeToBytes needs an array and returns another.
    private static byte[] FormBody(ReadOnlySpan<byte> json)
    {
        var length = FormPrefix.Length;
        foreach (var b in json)
        {
            length += FormSafe.Contains(b) || b == (byte)' ' ? 1 : 3;
        }

        var body = new byte[length];
        FormPrefix.CopyTo(body, 0);
        var position = FormPrefix.Length;
        foreach (var b in json)
        {
            if (FormSafe.Contains(b))
            {
                body[position++] = b;
            }
            else if (b == (byte)' ')
            {
                body[position++] = (byte)'+';
            }
            else
            {
                body[position++] = (byte)'%';
                body[position++] = UpperHex[b >> 4];
                body[position++] = UpperHex[b & 0xF];
            }
        }

        return body;
    }
}
