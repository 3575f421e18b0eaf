using System.Text.Json.Serialization;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RepositoryDto(string? Name, string? SelectedBranch, string? HtmlUrl, string? CloneUrl)
{
    public static RepositoryDto From(Repository r) => new(r.Name, r.SelectedBranch, r.HtmlUrl, r.CloneUrl);
}
