using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildHooks.Cli.Rendering;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

public static class DeliveriesCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("deliveries", Examples.Describe("The delivery log: what was sent to a hook, every attempt, and replays.",
            "buildhooks deliveries list --hook 2 --status failed",
            "buildhooks deliveries show 17",
            "buildhooks deliveries redeliver 17",
            "buildhooks deliveries recover --hook 2 --since 2026-11-24T00:00:00Z"));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(Redeliver(cli));
        command.Subcommands.Add(Recover(cli));
        return command;
    }

    private static Command List(Invocation cli)
    {
        var hook = new Option<long?>("--hook") { Description = "The hook's id: its deliveries" };
        var build = new Option<long?>("--build") { Description = "A build's id: its delivery to each hook it matched" };
        var status = new Option<string?>("--status") { Description = "Only pending, held, succeeded or failed" };
        var limit = new Option<int?>("--limit") { Description = "At most this many, newest first (default 50, at most 500)" };
        var before = new Option<long?>("--before") { Description = "Only deliveries older than this id: the last id of a list pages on from there" };
        var command = new ExampleCommand("list", Examples.Describe("List a hook's or a build's deliveries, newest first.",
            "buildhooks deliveries list --hook 2 --status failed", "buildhooks deliveries list --hook 2 --before 1200",
            "buildhooks deliveries list --build 41")) { hook, build, status, limit, before };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var list = (parse.GetValue(hook), parse.GetValue(build)) switch
            {
                ({ } h, null) => $"api/hooks/{h}/deliveries",
                (null, { } of) => $"api/builds/{of}/deliveries",
                _ => throw new UsageException("Give --hook <id> or --build <id>, one of them: whose deliveries to list."),
            };
            var query = new List<string>();
            if (parse.GetValue(status) is { } s)
            {
                query.Add("status=" + Uri.EscapeDataString(s));
            }

            if (parse.GetValue(limit) is { } l)
            {
                query.Add($"limit={l}");
            }

            if (parse.GetValue(before) is { } b)
            {
                query.Add($"before={b}");
            }

            var path = list + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            screen.Show(await api.GetAsync(path, ct), deliveries =>
            {
                var table = Screen.Table("id", "hook", "build", "kind", "status", "attempts", "last status", "last error", "created", "next attempt");
                foreach (var d in deliveries.Items())
                {
                    table.AddRow(Json.Cell(d.Str("id")), Json.Cell(d.Str("hook_id")), Json.Cell(d.Str("build_id")), Json.Cell(d.Str("kind")), Json.Status(d.Str("status")),
                        Json.Cell(d.Str("attempt_count")), Json.Cell(d.Str("last_status_code")), Json.Cell(d.Str("last_error")),
                        Json.Cell(d.Time("created_at")), Json.Cell(d.Time("next_attempt_at")));
                }

                screen.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Invocation cli)
    {
        var id = Delivery();
        var command = new ExampleCommand("show", Examples.Describe(
            "Show a delivery with its payload and every attempt: request headers, response status, headers and body (credentials already redacted by the server).",
            "buildhooks deliveries show 17", "buildhooks deliveries show msg_019ac2f3c5d87a61b0e4f1d2c3b4a596",
            "buildhooks deliveries show 17 --json | jq '.attempts[-1].response_body'"))
        {
            id,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/deliveries/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct), d => ShowDelivery(screen, d));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The server takes either: the receiver's log has the webhook-id, the delivery list has the number.</summary>
    private static Argument<string> Delivery() =>
        new("delivery") { Description = "The delivery's id, or its webhook-id (msg_…) as the receiver got it" };

    private static void ShowDelivery(Screen screen, JsonElement d)
    {
        screen.Fields(
            ("id", d.Str("id")), ("webhook-id", d.Str("webhook_id")), ("hook", d.Str("hook_id")), ("build", d.Str("build_id")),
            ("kind", d.Str("kind")), ("status", d.Str("status")), ("attempts", d.Str("attempt_count")), ("created", d.Time("created_at")),
            ("completed", d.Time("completed_at")), ("next attempt", d.Time("next_attempt_at")), ("content type", d.Str("content_type")));
        screen.Write(new Panel(Json.Cell(Readable(d.Str("payload")))).Header("payload"));
        foreach (var a in d.Obj("attempts").Items())
        {
            var ok = a.TryGetProperty("succeeded", out var s) && s.ValueKind == JsonValueKind.True;
            screen.Write(new Rule($"attempt {Markup.Escape(a.Str("number") ?? "?")} ({Markup.Escape(a.Str("trigger") ?? "")}) {(ok ? "[green]succeeded[/]" : "[red]failed[/]")}").LeftJustified());
            screen.Fields(("started", a.Time("started_at")), ("url", a.Str("url")), ("status", a.Str("status_code")),
                ("time", a.Str("duration_ms") + " ms"), ("error", a.Str("error")));
            screen.Write(Headers("request headers", a.Obj("request_headers")));
            screen.Write(Headers("response headers", a.Obj("response_headers")));
            screen.Write(new Panel(Json.Cell(a.Str("response_body") is { Length: > 0 } body ? body : "(empty)")).Header("response body"));
        }
    }

    /// <summary>A form payload (payload=&lt;url-encoded JSON&gt;) decoded, and JSON indented, so a person can read what was sent.</summary>
    private static string Readable(string? payload)
    {
        if (payload is null)
        {
            return "(none)";
        }

        var json = payload.StartsWith("payload=", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(payload["payload=".Length..].Replace('+', ' '))
            : payload;
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return payload;
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Table Headers(string title, JsonElement headers)
    {
        var table = new Table().Border(TableBorder.Simple).Title(title).AddColumn("name").AddColumn("value");
        if (headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                table.AddRow(Json.Cell(header.Name), Json.Cell(header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText()));
            }
        }

        return table;
    }

    private static Command Redeliver(Invocation cli)
    {
        var id = Delivery();
        var command = new ExampleCommand("redeliver", Examples.Describe("Send a delivery again (same webhook-id, fresh retries).", "buildhooks deliveries redeliver 17")) { id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.PostAsync($"api/deliveries/{Uri.EscapeDataString(parse.GetValue(id)!)}/redeliver", null, ct),
                d => screen.Line($"Delivery {Markup.Escape(d.Str("id") ?? "?")} is {Markup.Escape(d.Str("status") ?? "?")} again; next attempt {Markup.Escape(d.Time("next_attempt_at") ?? "now")}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Recover(Invocation cli)
    {
        var hook = new Option<long>("--hook") { Description = "The hook's id", Required = true };
        var since = new Option<DateTimeOffset>("--since") { Description = "Redeliver failed deliveries created since this time (ISO 8601)", Required = true };
        var command = new ExampleCommand("recover", Examples.Describe("Redeliver every failed delivery of a hook created since a time.",
            "buildhooks deliveries recover --hook 2 --since 2026-11-24T00:00:00Z"))
        {
            hook, since,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var body = new JsonObject { ["since"] = parse.GetValue(since).ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
            screen.Show(await api.PostAsync($"api/hooks/{parse.GetValue(hook)}/recover", body, ct),
                r => screen.Line($"Redelivering {Markup.Escape(r.Str("redelivered") ?? "0")} failed deliveries."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
