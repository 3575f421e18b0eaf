using System.ComponentModel;
using System.Text.Json.Serialization;
using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Infrastructure;
using BuildHooks.Server.Services;

namespace BuildHooks.Server.Contracts;

/// <summary>Body of POST /api/projects and PATCH /api/projects/{id}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ProjectWrite([property: Description("Required when creating a project.")] string? Name = null, RepositoryDto? Repository = null)
{
    public Validation Validate(bool creating)
    {
        var v = new Validation();
        if (creating || Name is not null)
        {
            v.Check(!string.IsNullOrWhiteSpace(Name), "name", "name is required.")
             .Check(Name is null || Name.Length <= 200, "name", "name must be at most 200 characters.");
        }

        if (Repository is { } r)
        {
            v.Check(r.Name is null || r.Name.Length <= 200, "repository.name", "repository.name must be at most 200 characters.")
             .Check(r.SelectedBranch is null || r.SelectedBranch.Length <= 255, "repository.selected_branch", "repository.selected_branch must be at most 255 characters.")
             .Check(Urls.IsHttpOrNull(r.HtmlUrl), "repository.html_url", "repository.html_url must be an absolute http or https URL.")
             .Check(Urls.IsHttpOrNull(r.CloneUrl) || r.CloneUrl!.Length <= 2048, "repository.clone_url", "repository.clone_url must be a URL of at most 2048 characters.");
        }

        return v;
    }

    /// <summary>Applies a valid update (PATCH or the project page's rename): absent fields keep their value.</summary>
    public void ApplyTo(Project project)
    {
        project.Name = Name?.Trim() ?? project.Name;
        if (Repository is { } r)
        {
            project.Repository.Name = r.Name ?? project.Repository.Name;
            project.Repository.SelectedBranch = r.SelectedBranch ?? project.Repository.SelectedBranch;
            project.Repository.HtmlUrl = r.HtmlUrl ?? project.Repository.HtmlUrl;
            project.Repository.CloneUrl = r.CloneUrl ?? project.Repository.CloneUrl;
        }
    }

    /// <summary>The new project a valid create request describes (the API and the web page make the same record).</summary>
    public Project ToProject(string reportToken, DateTimeOffset now)
    {
        var name = Name!.Trim();
        return new Project
        {
            Key = ProjectKeys.New(),
            Name = name,
            Repository = new Repository
            {
                Name = Repository?.Name ?? name,
                SelectedBranch = Repository?.SelectedBranch ?? "master",
                HtmlUrl = Repository?.HtmlUrl,
                CloneUrl = Repository?.CloneUrl,
            },
            ReportTokenHash = TokenHash.Hex(reportToken),
            CreatedAt = now,
        };
    }
}
