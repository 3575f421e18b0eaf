using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>
/// Artifact bytes under <c>&lt;data directory&gt;/artifacts/&lt;build uuid&gt;/&lt;artifact uuid&gt;</c>. Paths are made
/// from ids only, never from the name a client sent, so no name can reach outside the folder.
/// </summary>
public sealed class ArtifactStore(IOptions<ServerOptions> server)
{
    // Large enough for few system calls on a big upload, small enough that uploads never pile up memory.
    private const int ChunkBytes = 81920;

    public string Root { get; } = Path.Combine(Path.GetFullPath(server.Value.DataDirectory), "artifacts");

    public static string RelativePath(Guid build, Guid artifact) => Path.Combine(build.ToString("D"), artifact.ToString("D"));

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>
    /// Copies <paramref name="content"/> to a new file chunk by chunk while hashing it; stops with
    /// <see cref="ArtifactTooLargeException"/> past <paramref name="maxBytes"/>. The file only takes its final
    /// name once complete, so a broken upload never leaves a half file where a download could find it.
    /// </summary>
    public async Task<StoredFile> SaveAsync(Stream content, string relativePath, long maxBytes, CancellationToken cancellationToken)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, ChunkBytes, FileOptions.Asynchronous))
            {
                var buffer = new byte[ChunkBytes];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ArtifactTooLargeException(maxBytes);
                    }

                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            File.Move(partial, path);
            return new StoredFile(size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Removes a stored file whose row could not be written.</summary>
    public void Delete(string relativePath) => File.Delete(FullPath(relativePath));
}
