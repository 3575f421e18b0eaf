using System.Text.Json;
using BuildHooks.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BuildHooks.Cli.Rendering;

/// <summary>What a command prints: the API's raw JSON with --json, else tables and colours (plain text when not a terminal or NO_COLOR is set).</summary>
public sealed class Screen
{
    public Screen(CliContext context, bool json)
    {
        Context = context;
        IsJson = json;
        var terminal = ReferenceEquals(context.Out, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Interactive = InteractionSupport.No,
            // Colours only on a terminal (Spectre also honours NO_COLOR there); files and pipes get plain text.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            // Captured output should not wrap long URLs and bodies at 80 columns.
            Console.Profile.Width = 200;
        }
    }

    public CliContext Context { get; }

    public bool IsJson { get; }

    public IAnsiConsole Console { get; }

    /// <summary>With --json the response exactly as the server sent it; otherwise <paramref name="readable"/>.</summary>
    public void Show(ApiResponse response, Action<JsonElement> readable)
    {
        if (IsJson)
        {
            Context.Out.WriteLine(response.Body);
        }
        else
        {
            readable(response.Json);
        }
    }

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public void Line(string markup) => Console.MarkupLine(markup);

    /// <summary>A notice for the user that is not data: on standard error, so pipes get only data.</summary>
    public void Note(string text) => Context.Error.WriteLine("buildhooks: " + text);

    /// <summary>A two-column grid of field names and values.</summary>
    public void Fields(params (string Name, string? Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Markup($"[bold]{Markup.Escape(name)}[/]"), Json.Cell(value));
        }

        Console.Write(grid);
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(column)}[/]")));
        }

        return table;
    }
}
