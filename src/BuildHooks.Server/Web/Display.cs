using System.Globalization;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Server.Web;

/// <summary>How the pages word times, durations, commits and statuses.</summary>
public static class Display
{
    public static string Age(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds < 60 ? "just now"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 24 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(Build build) =>
        build.FinishedAt is { } finished && finished >= build.StartedAt ? DurationText.Format(finished - build.StartedAt) : "—";

    /// <summary>A span in whole hours, or minutes when under two hours ("24 h", "90 min").</summary>
    public static string Overlap(TimeSpan span) =>
        span.TotalMinutes < 120 ? $"{Math.Max(0, (int)Math.Round(span.TotalMinutes))} min" : $"{(int)Math.Round(span.TotalHours)} h";

    public static string Size(long bytes) =>
        bytes < 1024 ? $"{bytes} B"
        : bytes < 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB");

    public static string ShortCommit(string commit) => commit.Length > 7 ? commit[..7] : commit;

    public static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The badge class of a build or delivery status: ok, bad, warn or idle.</summary>
    public static string Badge(BuildStatus status) => status switch
    {
        BuildStatus.Pass => "ok",
        BuildStatus.Fail => "bad",
        BuildStatus.Error => "warn",
        _ => "idle",
    };

    public static string Badge(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Succeeded => "ok",
        DeliveryStatus.Failed => "bad",
        DeliveryStatus.Held => "warn",
        _ => "idle",
    };
}
