using System.Net;

namespace BuildHooks.Bench;

/// <summary>A build report the server did not accept, with its answer kept for the summary.</summary>
public sealed record ReportFailure(HttpStatusCode Status, string Body)
{
    public bool IsAuthRefusal => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    public override string ToString() => $"{(int)Status} {Body[..Math.Min(Body.Length, 300)]}";
}
