using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>The <c>artifacts</c> array, shaped as Ship.io lists it.</summary>
internal static class ArtifactsJson
{
    public static void Write(Utf8JsonWriter json, IReadOnlyList<ArtifactLink> artifacts)
    {
        json.WriteStartArray("artifacts"u8);
        foreach (var artifact in artifacts)
        {
            json.WriteStartObject();
            json.WriteString("id"u8, artifact.Id);
            json.WriteString("name"u8, artifact.Name);
            json.WriteString("download_url"u8, artifact.DownloadUrl);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
