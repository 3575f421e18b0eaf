using System.Globalization;
using System.Text;
using BuildHooks.Core.Model;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BuildHooks.Server.Web;

/// <summary>
/// <c>GET /projects/{key}/badge.svg[?branch=]</c> (and HEAD): a shields.io-style "build | passing" image of the latest finished
/// build, for READMEs. Anonymous (it says no more than a README would); keyed by the project's random key, not its
/// id, so projects cannot be walked. <c>no-cache</c> with an ETag: image proxies such as GitHub's ask every time and
/// mostly get a 304.
/// </summary>
public static class StatusBadge
{
    private const int LabelWidth = 37;

    public static async Task<IResult> GetAsync(string key, string? branch, HttpContext context, BuildHooksDb db, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().Where(p => p.Key == key).Select(p => new { p.Id }).FirstOrDefaultAsync(cancellationToken);
        if (project is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Project not found",
                detail: $"There is no project with key '{key}'; copy the badge link from the project's page.");
        }

        // No branch has one (reports refuse them), and PostgreSQL cannot even compare a NUL.
        if (branch is not null && !Infrastructure.TextRules.IsOneLine(branch))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid branch",
                detail: "branch holds a control character; give the branch's name as the builds report it, e.g. ?branch=main.");
        }

        var builds = db.Builds.AsNoTracking().Where(b => b.ProjectId == project.Id);
        if (!string.IsNullOrEmpty(branch))
        {
            builds = builds.Where(b => b.Branch == branch);
        }

        var finished = await builds.Where(b => b.Status != BuildStatus.Running).OrderByDescending(b => b.Id)
            .Select(b => (BuildStatus?)b.Status).FirstOrDefaultAsync(cancellationToken);
        // Only before the first build finishes is there nothing better to say than "running".
        var status = finished ?? (await builds.AnyAsync(cancellationToken) ? BuildStatus.Running : null);
        var (message, color) = Words(status);

        var etag = new EntityTagHeaderValue($"\"{message}\"");
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = etag.ToString();
        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Compare(etag, useStrongComparison: false) || m.Equals(EntityTagHeaderValue.Any)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(Svg(message, color), "image/svg+xml", Encoding.UTF8);
    }

    /// <summary>The word and colour shields.io uses for each result.</summary>
    public static (string Message, string Color) Words(BuildStatus? status) => status switch
    {
        BuildStatus.Pass => ("passing", "#4c1"),
        BuildStatus.Fail => ("failing", "#e05d44"),
        BuildStatus.Error => ("error", "#fe7d37"),
        BuildStatus.Running => ("running", "#dfb317"),
        _ => ("unknown", "#9f9f9f"),
    };

    private static string Svg(string message, string color)
    {
        // Verdana 11 px is about 6.5 px a character for these lower-case words; 10 px of padding each side.
        var messageWidth = (int)Math.Ceiling(message.Length * 6.5) + 10;
        var width = LabelWidth + messageWidth;
        var labelX = LabelWidth * 10 / 2;
        var messageX = (LabelWidth + messageWidth / 2.0) * 10;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="build: {message}"><title>build: {message}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{LabelWidth}" height="20" fill="#555"/><rect x="{LabelWidth}" width="{messageWidth}" height="20" fill="{color}"/><rect width="{width}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110"><text aria-hidden="true" x="{labelX}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">build</text><text x="{labelX}" y="140" transform="scale(.1)">build</text><text aria-hidden="true" x="{messageX}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">{message}</text><text x="{messageX}" y="140" transform="scale(.1)">{message}</text></g></svg>
            """);
    }
}
