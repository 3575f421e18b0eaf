using System.CommandLine;
using BuildHooks.Cli.Api;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Commands;

/// <summary><c>builds flush</c>: sends the reports <c>run</c> kept because the server could not be reached.</summary>
public static class BuildFlushCommand
{
    public static Command Create(Invocation cli)
    {
        var command = new ExampleCommand("flush", Examples.Describe(
            "Send the build reports that 'buildhooks run' kept while the server was unreachable, oldest first; each sent one is deleted, "
            + "as is one the server already had (sent before with the same Idempotency-Key, its answer lost: nothing is recorded twice). "
            + "Exits 3 if the server is still unreachable (the rest stay kept), 1 if the server refused some, a kept file could not be read, "
            + "or a build's finish was kept for another server (it stays kept; flush with that server's --url).",
            "buildhooks builds flush"));
        cli.OnApi(command, async (parse, api, screen, ct) =>
        {
            var spool = new BuildSpool(cli.Context.SpoolDirectory);
            var (kept, unreadable) = await spool.ReadAllAsync(ct);
            // The server's bodies as they came: re-serialising would escape what the server did not (a '+' as \u002B).
            var sent = new List<string>();
            var refused = unreadable.Count;
            foreach (var (path, problem) in unreadable)
            {
                screen.Note($"cannot send {path}: {problem}; it is left there: fix or delete it.");
            }

            var server = cli.Connect(parse).Server.AbsoluteUri;
            foreach (var (path, report) in kept)
            {
                if (!string.Equals(report.Server, server, StringComparison.OrdinalIgnoreCase))
                {
                    // A finish names a build by its id, which is that server's own: here it would close an unrelated build,
                    // or meet a finished one and be dropped as done. It waits for a flush against its own server.
                    if (report.IsFinish)
                    {
                        refused++;
                        screen.Note($"{path} finishes build {report.BuildId} of {report.Server}, not of {server}; it is left there: send it with 'buildhooks builds flush --url {report.Server}'.");
                        continue;
                    }

                    screen.Note($"{path} was meant for {report.Server}; sending it to {server}.");
                }

                try
                {
                    var response = await report.SendAsync(api, ct);
                    sent.Add(response.Body.Trim());
                    File.Delete(path);
                    var build = response.Json;
                    var about = $"build #{build.GetProperty("number")} of project {report.ProjectId} ({build.GetProperty("status").GetString()})";
                    screen.Note(response.Replayed
                        ? $"the server already had {about}: this report reached it before, and only the answer was lost; nothing sent again, dropped {path}"
                        : $"sent {about} from {path}");
                }
                catch (ApiException e) when (report.IsFinish && e.StatusCode == 409)
                {
                    File.Delete(path); // finished meanwhile (by another flush): nothing left to send
                    screen.Note($"build {report.BuildId} was already finished; dropped {path}");
                }
                catch (ApiException e)
                {
                    refused++;
                    // 422: the server has the report's key for another build, which only a hand-edited file can meet (run's key
                    // is a fresh GUID); dropping the file would lose its build, so it stays, with how to send it as a build of its own.
                    screen.Note($"the server refused {path}, kept: {e.Message}"
                        + (e.StatusCode == 422 ? " To record it as a build of its own, give it a new idempotency_key in the file (or remove it) and flush again." : ""));
                }
            }

            if (screen.IsJson)
            {
                await cli.Context.Out.WriteLineAsync("[" + string.Join(",", sent) + "]");
            }
            else
            {
                var total = kept.Count + unreadable.Count;
                screen.Line(total == 0 ? "No kept reports to send." : $"Sent {sent.Count} of {total} kept reports.");
            }

            return refused > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }
}
