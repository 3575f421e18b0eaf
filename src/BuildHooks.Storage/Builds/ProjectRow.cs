using System.Data.Common;
using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Builds;

/// <summary>Reads a project as payloads show it from the row both providers' ingest selects, in <see cref="Columns"/> order.</summary>
internal static class ProjectRow
{
    public const string Columns = "key, name, repository_name, repository_selected_branch, repository_html_url, repository_clone_url";

    /// <summary>The project whose <see cref="Columns"/> start at <paramref name="first"/>.</summary>
    public static Project Read(DbDataReader reader, long projectId, int first = 0) => new()
    {
        Id = projectId,
        Key = reader.GetString(first),
        Name = reader.GetString(first + 1),
        Repository = new Repository
        {
            Name = reader.GetString(first + 2),
            SelectedBranch = reader.GetString(first + 3),
            HtmlUrl = reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
            CloneUrl = reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5),
        },
        ReportTokenHash = "",
    };
}
