using System.Text;

namespace BuildHooks.Server.Tests.Infrastructure;

public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyDictionary<string, string>? Form)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
