using BuildHooks.Core.Model;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BuildHooks.Server.Services.Artifacts;

/// <summary>
/// Reads one file from a multipart/form-data upload straight to disk. MultipartReader hands the
/// file part over as a stream, so nothing but one copy buffer is held in memory whatever the size
/// (IFormFile would buffer the whole form first).
/// </summary>
public sealed class ArtifactReceiver(ArtifactStore store, IOptions<ArtifactOptions> options, TimeProvider time)
{
    // Room for the multipart boundaries and part headers around the file itself.
    private const long EnvelopeBytes = 64 * 1024;

    private static readonly FileExtensionContentTypeProvider ContentTypes = Known();

    public long MaxBytes => options.Value.MaxBytes;

    public async Task<UploadOutcome> ReceiveAsync(HttpRequest request, Build build, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return UploadOutcome.Problem(415, "Send the file as multipart/form-data",
                $"Upload the artifact as a multipart/form-data file part, e.g. curl -F file=@app.zip (got Content-Type '{request.ContentType}').");
        }

        if (request.ContentLength > MaxBytes + EnvelopeBytes)
        {
            return TooLarge(request.ContentLength.Value);
        }

        // The server-wide body limit is sized for JSON; this endpoint counts the file's bytes itself.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes + EnvelopeBytes;
        }

        var reader = new MultipartReader(boundary, request.Body);
        Artifact? artifact = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue; // Other form fields are not used; the reader skips their bodies without keeping them.
                }

                if (artifact is not null)
                {
                    store.Delete(artifact.StoragePath);
                    return UploadOutcome.Problem(400, "One file per request", "The form has more than one file part; upload each artifact in its own request.");
                }

                var sentName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (ArtifactNames.Clean(sentName, out var problem) is not { } name)
                {
                    return UploadOutcome.Problem(400, "Unusable file name", problem);
                }

                artifact = await StoreAsync(section, build, name, cancellationToken);
            }
        }
        catch (ArtifactTooLargeException)
        {
            return TooLarge(null);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's body limit, or a body that ended before its declared length.
            DeleteStored(artifact);
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(null)
                : UploadOutcome.Problem(e.StatusCode, "The upload could not be read", e.Message);
        }
        catch (IOException e) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client is still there, so it was the disk (full, or not writable): say so rather than a bare 500.
            DeleteStored(artifact);
            return UploadOutcome.Problem(507, "The artifact could not be stored", $"The server could not write the file ({e.Message}); ask its operator to free space in the data directory, then upload again.");
        }
        catch (InvalidDataException e)
        {
            // MultipartReader's word for a malformed body: a missing end boundary, headers too long.
            DeleteStored(artifact);
            return UploadOutcome.Problem(400, "The multipart body could not be read", $"{e.Message} Send one file part, e.g. curl -F file=@app.zip.");
        }

        return artifact is null
            ? UploadOutcome.Problem(400, "No file in the upload", "The form has no file part (a part with a filename); send one, e.g. curl -F file=@app.zip.")
            : new UploadOutcome(artifact);
    }

    private async Task<Artifact> StoreAsync(MultipartSection section, Build build, string name, CancellationToken cancellationToken)
    {
        var uuid = Guid.CreateVersion7();
        var relative = ArtifactStore.RelativePath(build.Uuid, uuid);
        var stored = await store.SaveAsync(section.Body, relative, MaxBytes, cancellationToken);
        return new Artifact
        {
            Uuid = uuid,
            BuildId = build.Id,
            Name = name,
            ContentType = ContentTypeOf(section.ContentType, name),
            Size = stored.Size,
            Sha256 = stored.Sha256,
            StoragePath = relative,
            CreatedAt = time.GetUtcNow(),
        };
    }

    /// <summary>The part's own type when it names one that is valid as a response header; else guessed from the extension.</summary>
    private static string ContentTypeOf(string? sent, string name)
    {
        if (MediaTypeHeaderValue.TryParse(sent, out var type) && type.ToString() is { Length: <= 200 } text
            && text.All(c => c is >= ' ' and <= '~') && !type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        return ContentTypes.TryGetContentType(name, out var guessed) ? guessed : "application/octet-stream";
    }

    private void DeleteStored(Artifact? artifact)
    {
        if (artifact is not null)
        {
            store.Delete(artifact.StoragePath);
        }
    }

    /// <summary>The web server's list, plus what builds produce that it does not know.</summary>
    private static FileExtensionContentTypeProvider Known()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".log"] = "text/plain";
        provider.Mappings[".apk"] = "application/vnd.android.package-archive";
        provider.Mappings[".ipa"] = "application/octet-stream";
        provider.Mappings[".aab"] = "application/octet-stream";
        provider.Mappings[".nupkg"] = "application/zip";
        return provider;
    }

    private UploadOutcome TooLarge(long? sent) => UploadOutcome.Problem(413, "Artifact too large",
        (sent is { } bytes ? $"The upload is {bytes} bytes; " : "The upload is larger than allowed; ")
        + $"an artifact may have at most {MaxBytes} bytes (BuildHooks:Artifacts:MaxBytes).");
}
