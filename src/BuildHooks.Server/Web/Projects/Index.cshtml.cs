using BuildHooks.Core.Model;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services;
using BuildHooks.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web.Projects;

public sealed class ProjectsModel(BuildHooksDb db, WriteGate writes, ReportTokens tokens, TimeProvider time) : PageModel
{
    public sealed record Row(Project Project, Build? Latest, int Hooks);

    public sealed record CreatedProject(Project Project, string ReportToken);

    public List<Row> Rows { get; private set; } = [];
    public CreatedProject? Created { get; private set; }
    public List<string> Errors { get; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? RepositoryUrl { get; set; }

    [BindProperty]
    public string? Branch { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var url = string.IsNullOrWhiteSpace(RepositoryUrl) ? null : RepositoryUrl.Trim();
        var branch = string.IsNullOrWhiteSpace(Branch) ? null : Branch.Trim();
        var write = new ProjectWrite(Name, new RepositoryDto(Name?.Trim(), branch, url, url is null ? null : url.TrimEnd('/') + ".git"));
        var validation = write.Validate(creating: true);
        if (!validation.IsValid)
        {
            // The form's repository name and clone URL are made from its name and URL: their errors repeat those fields'.
            Errors.AddRange(validation.Problem().ProblemDetails.Errors.Where(e => e.Key is not ("repository.name" or "repository.clone_url")).SelectMany(e => e.Value));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }

        // The same record the API's POST /api/projects makes.
        var token = "bhr_" + TokenHash.NewToken();
        var project = write.ToProject(token, time.GetUtcNow());
        await db.WriteAsync(writes, async () =>
        {
            db.Projects.Add(project);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

        Created = new CreatedProject(project, token);
        Name = RepositoryUrl = Branch = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        await db.DeleteAsync(writes, () => db.Projects.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        tokens.Forget(id);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var latest = await db.Builds.AsNoTracking()
            .Where(b => b.Id == db.Builds.Where(x => x.ProjectId == b.ProjectId).Max(x => x.Id))
            .ToDictionaryAsync(b => b.ProjectId, cancellationToken);
        var hooks = await db.Hooks.AsNoTracking().GroupBy(h => h.ProjectId)
            .Select(g => new { ProjectId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ProjectId, g => g.Count, cancellationToken);
        Rows = projects.Select(p => new Row(p, latest.GetValueOrDefault(p.Id), hooks.GetValueOrDefault(p.Id))).ToList();
    }
}
