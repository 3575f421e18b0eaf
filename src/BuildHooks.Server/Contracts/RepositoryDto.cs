using System.Text.Json.Serialization;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RepositoryDto(string? Name = null, string? SelectedBranch = null, string? HtmlUrl = null, string? CloneUrl = null)
{
    public static RepositoryDto From(Repository r) => new(r.Name, r.SelectedBranch, r.HtmlUrl, r.CloneUrl);
}
