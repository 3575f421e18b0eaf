namespace BuildHooks.Core.Model;

/// <summary>One HTTP request of a delivery and what came back, as the delivery log shows it.</summary>
public sealed class Attempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int Number { get; set; }
    public AttemptTrigger Trigger { get; set; }
    public long StartedAtMs { get; set; }
    public required string Url { get; set; }

    /// <summary>JSON object of the request headers, secrets redacted.</summary>
    public required string RequestHeaders { get; set; }

    public bool Succeeded { get; set; }
    public int? StatusCode { get; set; }
    public string? ResponseHeaders { get; set; }

    /// <summary>The first 16 KB of the response body.</summary>
    public string? ResponseBody { get; set; }

    public int DurationMs { get; set; }

    /// <summary>A plain reason for failures without a status: refused, DNS, timeout, TLS, blocked address.</summary>
    public string? Error { get; set; }
}
