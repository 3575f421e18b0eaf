using System.Text.Json.Nodes;
using BuildHooks.Cli.Rendering;

namespace BuildHooks.Cli.Commands;

/// <summary>A delete answers 204 with no body; --json still gets a JSON object to parse.</summary>
public static class Removed
{
    public static void Print(Screen screen, string what, long id)
    {
        if (screen.IsJson)
        {
            screen.Context.Out.WriteLine(new JsonObject { ["id"] = id, ["deleted"] = true }.ToJsonString());
        }
        else
        {
            screen.Line($"Removed {what} {id}.");
        }
    }
}
