using System.Text.Json.Serialization;

namespace BuildHooks.Server.Infrastructure;

/// <summary>A text field that may span lines (a commit message): tabs and line breaks are kept, other control characters refused.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class MultilineTextAttribute : JsonConverterAttribute
{
    public override JsonConverter CreateConverter(Type typeToConvert) => new TextConverter(multiline: true);
}
