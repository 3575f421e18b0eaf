using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Rendering;
using Spectre.Console;

namespace BuildHooks.Cli.Commands;

public static class HooksCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("hooks", Examples.Describe("Webhooks of a project: where finished builds are POSTed.",
            "buildhooks hooks list --project 1",
            "buildhooks hooks add --project 1 https://example.com/hooks/ci --format magnum --trigger fail --trigger fixed --branch master",
            "buildhooks hooks test --project 1 2"));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Add(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(Update(cli));
        command.Subcommands.Add(Toggle(cli, enable: true));
        command.Subcommands.Add(Toggle(cli, enable: false));
        command.Subcommands.Add(Remove(cli));
        command.Subcommands.Add(Test(cli));
        command.Subcommands.Add(RotateSecret(cli));
        return command;
    }

    private static Option<long> Project() => new("--project", "-p") { Description = "The project's id", Required = true };

    private static Argument<long> HookId() => new("hook-id") { Description = "The hook's id" };

    private static Command List(Invocation cli)
    {
        var project = Project();
        var command = new ExampleCommand("list", Examples.Describe("List a project's hooks.", "buildhooks hooks list --project 1")) { project };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/projects/{parse.GetValue(project)}/hooks", ct), hooks =>
            {
                var table = Screen.Table("id", "url", "format", "content", "triggers", "branches", "enabled", "failures");
                foreach (var h in hooks.Items())
                {
                    table.AddRow(Json.Cell(h.Str("id")), Json.Cell(h.Str("url")), Json.Cell(h.Str("format")), Json.Cell(h.Str("content_type")),
                        Json.Cell(h.Str("triggers")), Json.Cell(h.Str("branches") is { Length: > 0 } b ? b : "all"),
                        new Markup(h.Str("enabled") == "yes" ? "[green]yes[/]" : $"[red]no[/] {Markup.Escape(h.Str("disabled_reason") ?? "")}"),
                        Json.Cell(h.Str("consecutive_failures")));
                }

                screen.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The fields of a hook, shared by add (url required) and update (all optional).</summary>
    private sealed class HookOptions
    {
        /// <summary>Not --url: that one is the server's address on every command.</summary>
        public Option<string?> Url { get; } = new("--hook-url") { Description = "Absolute http or https URL the hook POSTs to" };
        public Option<string?> Format { get; } = new("--format") { Description = "Payload format: magnum (default), shipio or standard" };
        public Option<string?> ContentType { get; } = new("--content-type") { Description = "form (default: payload=<json>) or json" };
        public Option<string[]> Triggers { get; } = new("--trigger") { Description = "When to send: pass, fail, error, any (default), fixed, broken; repeat for several" };
        public Option<string[]> Branches { get; } = new("--branch") { Description = "Branch glob to send for (master, release/*, feature/**); repeat for several; default all" };
        public Option<int?> MaxAttempts { get; } = new("--max-attempts") { Description = "Attempts before giving up, 1-20 (default 8)" };
        public Option<int?> Timeout { get; } = new("--timeout") { Description = "Seconds per attempt, 1-120 (default 15)" };
        public Option<string[]> Headers { get; } = new("--header") { Description = "Custom header Name=Value sent with every attempt; repeat for several" };
        public Option<bool?> AllowInsecureTls { get; } = new("--allow-insecure-tls") { Description = "Accept the receiver's TLS certificate even if self-signed, expired or for another name; --allow-insecure-tls false turns it off" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Url, Format, ContentType, Triggers, Branches, MaxAttempts, Timeout, Headers, AllowInsecureTls })
            {
                command.Options.Add(option);
            }

            Triggers.AllowMultipleArgumentsPerToken = false;
            Branches.AllowMultipleArgumentsPerToken = false;
        }

        public JsonObject Body(ParseResult parse)
        {
            var body = new JsonObject();
            Set(body, "url", parse.GetValue(Url));
            Set(body, "format", parse.GetValue(Format));
            Set(body, "content_type", parse.GetValue(ContentType));
            if (parse.GetValue(Triggers) is { Length: > 0 } triggers)
            {
                body["triggers"] = new JsonArray(triggers.Select(t => (JsonNode?)t).ToArray());
            }

            if (parse.GetValue(Branches) is { Length: > 0 } branches)
            {
                body["branches"] = new JsonArray(branches.Select(b => (JsonNode?)b).ToArray());
            }

            if (parse.GetValue(MaxAttempts) is { } attempts)
            {
                body["max_attempts"] = attempts;
            }

            if (parse.GetValue(Timeout) is { } timeout)
            {
                body["timeout_seconds"] = timeout;
            }

            if (parse.GetValue(AllowInsecureTls) is { } insecure)
            {
                body["allow_insecure_tls"] = insecure;
            }

            if (HeaderValues(parse) is { Count: > 0 } headers)
            {
                var map = new JsonObject();
                foreach (var (name, value) in headers)
                {
                    map[name] = value;
                }

                body["headers"] = map;
            }

            return body;
        }

        /// <summary>The --header values as name and value, in the order given; a later one for the same name wins.</summary>
        public List<(string Name, string Value)> HeaderValues(ParseResult parse)
        {
            var headers = new List<(string Name, string Value)>();
            foreach (var header in parse.GetValue(Headers) ?? [])
            {
                var equals = header.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || header[..equals].Trim().Length == 0)
                {
                    throw new UsageException($"--header '{header}' must be Name=Value, e.g. --header 'Authorization=Bearer abc'.");
                }

                var name = header[..equals].Trim();
                if (equals == header.Length - 1)
                {
                    throw new UsageException($"--header '{header}' has no value; give one (to stop sending a header: hooks update --remove-header {name}).");
                }

                headers.RemoveAll(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                headers.Add((name, header[(equals + 1)..]));
            }

            return headers;
        }

        private static void Set(JsonObject body, string name, string? value)
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }
    }

    private static Command Add(Invocation cli)
    {
        var project = Project();
        var fields = new HookOptions();
        var url = new Argument<string>("url") { Description = "Absolute http or https URL the hook POSTs to" };
        var disabled = new Option<bool>("--disabled") { Description = "Create the hook disabled" };
        var command = new ExampleCommand("add", Examples.Describe("Create a hook. Its signing secret is printed once.",
            "buildhooks hooks add --project 1 https://example.com/hooks/ci",
            "buildhooks hooks add -p 1 https://example.com/ci --format standard --content-type json --trigger broken --trigger fixed --header 'Authorization=Bearer abc'"))
        {
            url, project, disabled,
        };
        fields.AddTo(command);
        command.Options.Remove(fields.Url); // the URL is the argument here
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var body = fields.Body(parse);
            body["url"] = parse.GetValue(url);
            if (parse.GetValue(disabled))
            {
                body["enabled"] = false;
            }

            screen.Show(await api.PostAsync($"api/projects/{parse.GetValue(project)}/hooks", body, ct), h =>
            {
                ShowHook(screen, h);
                screen.Line($"[yellow]Signing secret (shown once):[/] {Markup.Escape(h.Str("secret") ?? "-")}");
                if (h.Str("warning") is { } warning)
                {
                    screen.Line($"[yellow]Warning:[/] {Markup.Escape(warning)}");
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Invocation cli)
    {
        var project = Project();
        var id = HookId();
        var command = new ExampleCommand("show", Examples.Describe("Show one hook.", "buildhooks hooks show --project 1 2")) { project, id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.GetAsync($"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}", ct), h => ShowHook(screen, h));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(Invocation cli)
    {
        var project = Project();
        var id = HookId();
        var fields = new HookOptions();
        var removeHeaders = new Option<string[]>("--remove-header")
        {
            Description = "Name of a custom header to stop sending; repeat for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var allBranches = new Option<bool>("--all-branches") { Description = "Clear the branch filters: send for every branch" };
        var command = new ExampleCommand("update", Examples.Describe(
            "Change a hook; fields not given keep their value. --header adds or replaces the named header and keeps the others (stored credentials too).",
            "buildhooks hooks update --project 1 2 --trigger any --branch 'release/*'",
            "buildhooks hooks update -p 1 2 --hook-url https://example.com/new --max-attempts 1",
            "buildhooks hooks update -p 1 2 --header 'X-Team=mobile' --remove-header X-Old --all-branches"))
        {
            project, id, removeHeaders, allBranches,
        };
        fields.AddTo(command);
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var path = $"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}";
            var body = fields.Body(parse);
            if (parse.GetValue(allBranches))
            {
                if (body.ContainsKey("branches"))
                {
                    throw new UsageException("--all-branches clears the branch filters; give it or --branch, not both.");
                }

                body["branches"] = new JsonArray();
            }

            var removed = parse.GetValue(removeHeaders) ?? [];
            if (body.ContainsKey("headers") || removed.Length > 0)
            {
                // PATCH replaces the whole map, so start from the stored one: credentials come back as "[REDACTED]",
                // which the server reads as "keep the stored value".
                body["headers"] = MergeHeaders((await api.GetAsync(path, ct)).Json, fields.HeaderValues(parse), removed, screen);
            }

            if (body.Count == 0)
            {
                throw new UsageException("Nothing to change: give at least one of --hook-url, --format, --content-type, --trigger, --branch, --all-branches, --max-attempts, --timeout, --header, --remove-header, --allow-insecure-tls.");
            }

            screen.Show(await api.PatchAsync(path, body, ct), h => ShowHook(screen, h));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The hook's stored headers with <paramref name="set"/> added or replaced and <paramref name="removed"/> left out (names in any case).</summary>
    private static JsonObject MergeHeaders(JsonElement hook, List<(string Name, string Value)> set, string[] removed, Screen screen)
    {
        var headers = new List<(string Name, string Value)>();
        if (hook.TryGetProperty("headers", out var stored) && stored.ValueKind == JsonValueKind.Object)
        {
            headers.AddRange(stored.EnumerateObject().Select(h => (h.Name, h.Value.GetString() ?? "")));
        }

        foreach (var name in removed)
        {
            if (headers.RemoveAll(h => h.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) == 0)
            {
                screen.Note($"--remove-header {name}: the hook has no such header; nothing removed.");
            }
        }

        foreach (var (name, value) in set)
        {
            var at = headers.FindIndex(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                headers[at] = (name, value);
            }
            else
            {
                headers.Add((name, value));
            }
        }

        var map = new JsonObject();
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return map;
    }

    private static Command Toggle(Invocation cli, bool enable)
    {
        var project = Project();
        var id = HookId();
        var command = new ExampleCommand(enable ? "enable" : "disable", enable
            ? Examples.Describe("Enable a hook: held deliveries are sent at once.", "buildhooks hooks enable --project 1 2")
            : Examples.Describe("Disable a hook: it is sent nothing, its pending retries are held.", "buildhooks hooks disable --project 1 2"))
        {
            project, id,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.PatchAsync($"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}", new JsonObject { ["enabled"] = enable }, ct),
                h => ShowHook(screen, h));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(Invocation cli)
    {
        var project = Project();
        var id = HookId();
        var command = new ExampleCommand("remove", Examples.Describe("Delete a hook.", "buildhooks hooks remove --project 1 2")) { project, id };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            await api.DeleteAsync($"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}", ct);
            Removed.Print(screen, "hook", parse.GetValue(id));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(Invocation cli)
    {
        var project = Project();
        var id = HookId();
        var command = new ExampleCommand("test", Examples.Describe(
            "Send the project's latest finished build (or a sample) to the hook now and print the receiver's answer. Exits 1 when the receiver did not answer 2xx.",
            "buildhooks hooks test --project 1 2"))
        {
            project, id,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var response = await api.PostAsync($"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}/test", null, ct);
            var result = response.Json;
            screen.Show(response, r =>
            {
                var ok = r.TryGetProperty("succeeded", out var s) && s.ValueKind == JsonValueKind.True;
                screen.Line(ok ? "[green]Delivered[/]" : "[red]Not delivered[/]");
                screen.Fields(("delivery", r.Str("delivery_id")), ("status", r.Str("status_code")), ("time", r.Str("duration_ms") + " ms"), ("error", r.Str("error")));
                screen.Line("[bold]response body[/]");
                screen.Write(new Panel(Json.Cell(r.Str("response_body") is { Length: > 0 } body ? body : "(empty)")).Border(BoxBorder.Rounded));
            });
            return result.TryGetProperty("succeeded", out var succeeded) && succeeded.ValueKind == JsonValueKind.True ? ExitCodes.Ok : ExitCodes.Refused;
        }, TestTimeout);
        return command;
    }

    /// <summary>
    /// The server answers a test only once the receiver has, which takes up to the hook's timeout_seconds (at most 120):
    /// with the usual 30 s a slow receiver made the CLI call the server unreachable (exit 3) while the test went on.
    /// </summary>
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(120 + 30);

    private static Command RotateSecret(Invocation cli)
    {
        var project = Project();
        var id = HookId();
        var command = new ExampleCommand("rotate-secret", Examples.Describe(
            "Give a hook a new signing secret, printed once; for the overlap both secrets sign, so receivers can switch without losing deliveries.",
            "buildhooks hooks rotate-secret --project 1 2"))
        {
            project, id,
        };
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            screen.Show(await api.PostAsync($"api/projects/{parse.GetValue(project)}/hooks/{parse.GetValue(id)}/rotate-secret", null, ct), r =>
            {
                screen.Line($"[yellow]New signing secret (shown once):[/] {Markup.Escape(r.Str("secret") ?? "-")}");
                screen.Line(r.Time("previous_secret_expires_at") is { } until
                    ? $"The previous secret keeps signing too until {Markup.Escape(until)}."
                    : "There was no previous secret to keep.");
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void ShowHook(Screen screen, JsonElement h)
    {
        var headers = h.Obj("headers");
        screen.Fields(
            ("id", h.Str("id")), ("project", h.Str("project_id")), ("url", h.Str("url")), ("format", h.Str("format")),
            ("content type", h.Str("content_type")), ("triggers", h.Str("triggers")),
            ("branches", h.Str("branches") is { Length: > 0 } b ? b : "all"), ("enabled", h.Str("enabled")),
            ("max attempts", h.Str("max_attempts")), ("timeout", h.Str("timeout_seconds") + " s"),
            ("TLS certificate", h.TryGetProperty("allow_insecure_tls", out var insecure) && insecure.GetBoolean() ? "not checked (--allow-insecure-tls)" : "checked"),
            ("headers", headers.ValueKind == JsonValueKind.Object ? string.Join(", ", headers.EnumerateObject().Select(p => $"{p.Name}: {p.Value.GetString()}")) : null),
            ("failures in a row", h.Str("consecutive_failures")), ("disabled", h.Str("disabled_reason") is { } r ? $"{r} ({h.Time("disabled_at")})" : null),
            ("created", h.Time("created_at")));
    }
}
