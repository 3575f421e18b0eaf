using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>Body of POST /api/bins; every field may be left out.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BinWrite(string? Name = null, [property: Range(200, 599)] int? ResponseStatus = null, [property: Range(1, BinWrite.MaxHours)] int? ExpiresInHours = null)
{
    /// <summary>The longest a bin may live: bins are for troubleshooting, not for keeping traffic.</summary>
    public const int MaxHours = 7 * 24;

    public Validation Validate() => new Validation()
        .Check(Name is null || Name.Length <= 100 && TextRules.IsOneLine(Name), "name", "name must be one line of at most 100 characters.")
        .Check(ResponseStatus is null or (>= 200 and <= 599), "response_status",
            "response_status must be an HTTP status from 200 to 599, such as 200, or 503 to watch a sender retry.")
        .Check(ExpiresInHours is null or (>= 1 and <= MaxHours), "expires_in_hours", $"expires_in_hours must be between 1 and {MaxHours} (7 days).");
}
