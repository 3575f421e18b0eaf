using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>The <c>repository</c> object, shaped as Ship.io describes it.</summary>
internal static class RepositoryJson
{
    public static void Write(Utf8JsonWriter json, Repository repository)
    {
        json.WriteStartObject("repository"u8);
        json.WriteString("name"u8, repository.Name);
        json.WriteString("selected_branch"u8, repository.SelectedBranch);
        json.WriteString("html_url"u8, repository.HtmlUrl);
        json.WriteString("clone_url"u8, repository.CloneUrl);
        json.WriteEndObject();
    }
}
