using System.Security.Cryptography;
using System.Text;
using BuildHooks.Core.Model;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>Decides whether a presented build access token opens a build's artifacts.</summary>
public sealed class BuildAccessTokens(IOptions<ArtifactOptions> options, TimeProvider time)
{
    /// <summary>Null when the token opens the build; otherwise what to tell the caller.</summary>
    public string? Refusal(Build build, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return "Add the build access token: use the artifact's download_url as the build's payload or the artifacts list gives it.";
        }

        // Hashing first gives equal lengths, so the comparison takes the same time wherever the tokens differ.
        if (build.AccessToken is null
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(build.AccessToken))))
        {
            return "The build access token does not open this build's artifacts; each build has its own token, given in its artifacts' download_url.";
        }

        var expires = ExpiresAt(build);
        if (time.GetUtcNow() >= expires)
        {
            return $"The build access token expired at {expires:u} (BuildHooks:Artifacts:TokenLifetime after the build finished); a longer lifetime in the server's settings opens it again.";
        }

        return null;
    }

    public DateTimeOffset ExpiresAt(Build build) => (build.FinishedAt ?? build.CreatedAt) + options.Value.TokenLifetime;
}
