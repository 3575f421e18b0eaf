using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BuildHooks.Storage.Schema;

/// <summary>Stores enums as lower-case words, so the rows read the same as the API and hand-written queue SQL.</summary>
internal sealed class LowerCaseEnum<T>() : ValueConverter<T, string>(
    v => v.ToString().ToLowerInvariant(),
    v => Enum.Parse<T>(v, true))
    where T : struct, Enum;
