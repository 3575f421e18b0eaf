using System.Globalization;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Retention;
using BuildHooks.Server.Services.Artifacts;
using BuildHooks.Server.Services.Bins;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// Reads every documented setting once at start and refuses one that cannot work, naming it. Without this a value
/// the binder cannot read stopped the host with a stack trace, and a zero or negative one was taken as it came: a
/// zero rate-limit window answered every API request with a 500, a zero batch size spun the dispatcher at full CPU,
/// a zero lease let every node claim every delivery at once.
/// </summary>
public static class SettingsCheck
{
    public static void Run(IConfiguration configuration)
    {
        var server = Bind<ServerOptions>(configuration, ServerOptions.Section);
        AtLeast(ServerOptions.Section, nameof(server.MaxRequestBodyBytes), server.MaxRequestBodyBytes, 1);
        AtLeast(ServerOptions.Section, nameof(server.MaxUrlBytes), server.MaxUrlBytes, 1);
        AtLeast(ServerOptions.Section, nameof(server.MaxRequestHeadersBytes), server.MaxRequestHeadersBytes, 1);
        AtLeast(ServerOptions.Section, nameof(server.MaxRequestHeaders), server.MaxRequestHeaders, 1);
        if (!string.IsNullOrWhiteSpace(server.PublicUrl)
            && !(Uri.TryCreate(server.PublicUrl, UriKind.Absolute, out var publicUrl) && publicUrl.Scheme is "http" or "https"))
        {
            throw Bad(ServerOptions.Section, nameof(server.PublicUrl), server.PublicUrl, "an absolute http or https URL, such as https://hooks.example.com");
        }

        var delivery = Bind<DeliveryOptions>(configuration, DeliveryOptions.Section);
        AtLeast(DeliveryOptions.Section, nameof(delivery.BatchSize), delivery.BatchSize, 1);
        // 0 is allowed: a node that takes reports and serves the API but leaves the sending to the others.
        AtLeast(DeliveryOptions.Section, nameof(delivery.MaxInFlight), delivery.MaxInFlight, 0);
        AtLeast(DeliveryOptions.Section, nameof(delivery.PerHookConcurrency), delivery.PerHookConcurrency, 1);
        AtLeast(DeliveryOptions.Section, nameof(delivery.LeaseSeconds), delivery.LeaseSeconds, 1);
        AtLeast(DeliveryOptions.Section, nameof(delivery.MaxResponseBodyBytes), delivery.MaxResponseBodyBytes, 0);
        NotNegative(DeliveryOptions.Section, nameof(delivery.SecretRotationOverlap), delivery.SecretRotationOverlap);
        // By the keys as written: the bound list closes up gaps, so RetrySchedule:1 alone would be reported as :0.
        foreach (var step in configuration.GetSection($"{DeliveryOptions.Section}:{nameof(delivery.RetrySchedule)}").GetChildren())
        {
            if (TimeSpan.TryParse(step.Value, CultureInfo.InvariantCulture, out var delay))
            {
                NotNegative(DeliveryOptions.Section, $"{nameof(delivery.RetrySchedule)}:{step.Key}", delay);
            }
        }

        try
        {
            AllowedNetworks.Parse(delivery.AllowedNetworks);
        }
        catch (FormatException e)
        {
            throw new BadSettingException(e.Message, e);
        }

        var rateLimit = Bind<RateLimitOptions>(configuration, RateLimitOptions.Section);
        AtLeast(RateLimitOptions.Section, nameof(rateLimit.PermitLimit), rateLimit.PermitLimit, 0);
        Positive(RateLimitOptions.Section, nameof(rateLimit.Window), rateLimit.Window);

        var retention = Bind<RetentionOptions>(configuration, RetentionOptions.Section);
        AtLeast(RetentionOptions.Section, nameof(retention.Days), retention.Days, 0);
        if (retention.Age is { } age)
        {
            NotNegative(RetentionOptions.Section, nameof(retention.Age), age);
        }

        Positive(RetentionOptions.Section, nameof(retention.Interval), retention.Interval);
        AtLeast(RetentionOptions.Section, nameof(retention.BatchSize), retention.BatchSize, 1);

        var bins = Bind<BinOptions>(configuration, BinOptions.Section);
        AtLeast(BinOptions.Section, nameof(bins.MaxBodyBytes), bins.MaxBodyBytes, 0);
        AtLeast(BinOptions.Section, nameof(bins.MaxRequests), bins.MaxRequests, 1);
        AtLeast(BinOptions.Section, nameof(bins.RequestsPerMinute), bins.RequestsPerMinute, 0);
        Positive(BinOptions.Section, nameof(bins.Lifetime), bins.Lifetime);
        Positive(BinOptions.Section, nameof(bins.PruneInterval), bins.PruneInterval);
        AtLeast(BinOptions.Section, nameof(bins.PruneBatchSize), bins.PruneBatchSize, 1);

        var artifacts = Bind<ArtifactOptions>(configuration, ArtifactOptions.Section);
        AtLeast(ArtifactOptions.Section, nameof(artifacts.MaxBytes), artifacts.MaxBytes, 1);
        Positive(ArtifactOptions.Section, nameof(artifacts.TokenLifetime), artifacts.TokenLifetime);
        Positive(ArtifactOptions.Section, nameof(artifacts.SweepInterval), artifacts.SweepInterval);
    }

    /// <summary>The directory exists (created if need be) and a file can be written in it.</summary>
    public static void Writable(string key, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadSettingException($"{key} is '{directory}', where this server cannot write: {e.Message} Point it at a directory the server's user may write ({EnvironmentForm(key)}).", e);
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder's own message names the key and the value: "Failed to convert configuration value '5s' at 'BuildHooks:Retention:Interval' to type 'System.TimeSpan'."
            throw new BadSettingException($"{e.Message} Numbers are whole numbers; durations are written [d.]hh:mm:ss, such as 00:00:05 for 5 s or 1.00:00:00 for a day.", e);
        }
    }

    private static void AtLeast(string section, string name, long value, long minimum)
    {
        if (value < minimum)
        {
            throw Bad(section, name, value.ToString(CultureInfo.InvariantCulture), minimum == 0 ? "0 or more" : $"{minimum} or more");
        }
    }

    private static void Positive(string section, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Bad(section, name, value.ToString("c", CultureInfo.InvariantCulture), "a duration above zero, such as 00:00:05 for 5 s");
        }
    }

    private static void NotNegative(string section, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw Bad(section, name, value.ToString("c", CultureInfo.InvariantCulture), "a duration of zero or more, such as 00:00:05 for 5 s");
        }
    }

    private static BadSettingException Bad(string section, string name, string? value, string wanted)
    {
        var key = $"{section}:{name}";
        return new BadSettingException($"{key} is '{value}'; it must be {wanted} ({EnvironmentForm(key)}).");
    }

    private static string EnvironmentForm(string key) => "environment: " + key.Replace(":", "__", StringComparison.Ordinal);
}
