using System.Buffers.Text;
using System.Security.Cryptography;

namespace BuildHooks.Server.Services;

/// <summary>Ship.io-style job ids such as <c>AQ_9V0GKpZ8Zkjj_</c>: 12 random bytes, URL-safe base64 (16 characters).</summary>
public static class ProjectKeys
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
}
