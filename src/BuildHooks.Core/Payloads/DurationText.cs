using System.Globalization;

namespace BuildHooks.Core.Payloads;

/// <summary>Magnum's <c>duration_string</c>: <c>2m 38s</c>, leading zero units left out (<c>45s</c>, <c>1h 0m 5s</c>, <c>0s</c>).</summary>
public static class DurationText
{
    public static string Format(long wholeSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wholeSeconds);
        var hours = wholeSeconds / 3600;
        var minutes = wholeSeconds % 3600 / 60;
        var seconds = wholeSeconds % 60;

        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours}h {minutes}m {seconds}s");
        }

        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m {seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }

    /// <summary>Formats the whole seconds of <paramref name="duration"/>; a fraction of a second is dropped.</summary>
    public static string Format(TimeSpan duration) => Format((long)duration.TotalSeconds);
}
