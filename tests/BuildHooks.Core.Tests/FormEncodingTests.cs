using System.Text;
using System.Web;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Core.Tests;

public class FormEncodingTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<PayloadFormat> Formats => [PayloadFormat.Magnum, PayloadFormat.Shipio, PayloadFormat.Standard];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Form_payload_field_decodes_to_the_same_json_as_the_json_body(PayloadFormat format)
    {
        var jsonEvent = Seeds.ShipIoEvent(HookContentType.Json);
        jsonEvent.Hook.Format = format;
        jsonEvent.Build.Message = "Fix 100% of the \"bugs\" & ship: a+b=c? José → done\nsecond line";
        var formEvent = jsonEvent with { Hook = Seeds.NewHook(format, HookContentType.Form) };

        var json = PayloadRenderer.Render(jsonEvent, Now);
        var form = PayloadRenderer.Render(formEvent, Now);

        Assert.Equal("application/x-www-form-urlencoded", form.ContentType);
        var formText = Encoding.ASCII.GetString(form.Body);
        Assert.StartsWith("payload=", formText, StringComparison.Ordinal);
        Assert.All(formText, c => Assert.True(c is > ' ' and < (char)127, $"'{c}' is not form-safe"));

        var fields = HttpUtility.ParseQueryString(formText);
        Assert.Equal("payload", Assert.Single(fields.AllKeys));
        var decoded = fields["payload"]!;
        if (format == PayloadFormat.Standard)
        {
            // The hook itself differs (content_type), everything else must not.
            decoded = decoded.Replace("\"content_type\":\"form\"", "\"content_type\":\"json\"", StringComparison.Ordinal);
        }

        Assert.Equal(Encoding.UTF8.GetString(json.Body), decoded);
    }

    [Fact]
    public void Magnum_hooks_send_a_form_by_default_as_magnum_did()
    {
        var hook = new Hook { Url = "https://receiver.example", Secret = "whsec_AAAA" };

        Assert.Equal(HookContentType.Form, hook.ContentType);
        Assert.Equal(PayloadFormat.Magnum, hook.Format);
    }
}
