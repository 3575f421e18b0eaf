using System.Text.Json.Serialization;
using BuildHooks.Core.Model;

namespace BuildHooks.Server.Contracts;

public sealed record ProjectView(long Id, string Key, string Name, RepositoryDto Repository, DateTimeOffset CreatedAt)
{
    /// <summary>Shown once, when the project is created.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReportToken { get; init; }

    public static ProjectView From(Project p) => new(p.Id, p.Key, p.Name, RepositoryDto.From(p.Repository), p.CreatedAt);
}
