using System.Security.Claims;
using BuildHooks.Server.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Razor.Compilation;
using Microsoft.Extensions.FileProviders;

namespace BuildHooks.Server.Web;

/// <summary>
/// The web pages: Razor Pages under Web/, signed in with a cookie made from the admin token. The API keeps
/// its bearer scheme (its fallback policy is untouched), so /api answers 401 Problem Details, never a redirect.
/// </summary>
public static class WebInterface
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string Policy = "web";

    /// <summary>How long a session lasts without use; each use slides it on.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static void AddWebInterface(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "buildhooks";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.ExpireTimeSpan = SessionLifetime;
            o.SlidingExpiration = true;
            // Script endpoints (live log, fragments) get a status, not a sign-in page they cannot show.
            o.Events.OnRedirectToLogin = c =>
            {
                if (c.Request.Path.StartsWithSegments("/web"))
                {
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                c.Response.Redirect(c.RedirectUri);
                return Task.CompletedTask;
            };
        });
        // The session lives in the database and the cookie holds its key, so Sign out can end it (WebSessionStore).
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IServiceScopeFactory, TimeProvider>((o, scopes, time) => o.SessionStore = new WebSessionStore(scopes, time));
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Policies.AdminRole));
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web";
            o.Conventions.AuthorizeFolder("/", Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.ConfigureFilter(new NoHandlerIsMethodNotAllowed());
            o.Conventions.ConfigureFilter(new FormTextRefused());
        }).ConfigureApplicationPartManager(parts =>
        {
            // Pages are found in the entry assembly; when the server is hosted by another one (tests), name ours.
            var assembly = typeof(WebInterface).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
            }
        });
    }

    /// <summary>Static files come from the assembly, so the pages look the same wherever the server runs from (tests included).</summary>
    public static void UseWebStaticFiles(this WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = new EmbeddedFileProvider(typeof(WebInterface).Assembly, "BuildHooks.Server.wwwroot"),
        RequestPath = "/static",
        OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=300",
    });

    /// <summary>
    /// A request that no endpoint takes gets the answer that says so, whoever asks; the authorization fallback policy
    /// would make it a bearer 401 for a caller without a token. A method the path does not have is a 405 with its
    /// <c>Allow</c> header, on the API and off it. A path outside the API that nothing answers is a 404: the site's 404
    /// page for a browser, Problem Details (from the status code pages) for anything else.
    /// </summary>
    public static void UseUnmatchedRequestAnswers(this WebApplication app) => app.Use(async (context, next) =>
    {
        // Routing's stand-in endpoint for "the path exists, not with this method"; it has no metadata to tell it by but
        // its name (HttpMethodMatcherPolicy's Http405EndpointDisplayName). It only sets the status and Allow.
        if (context.GetEndpoint() is { DisplayName: "405 HTTP Method Not Supported", RequestDelegate: { } methodNotAllowed })
        {
            await methodNotAllowed(context);
            return;
        }

        if (context.GetEndpoint() is not null || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        if (NotFoundPage.WantsHtml(context.Request))
        {
            await NotFoundPage.WriteAsync(context);
        }
    });

    public static void MapWebInterface(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], () => Results.Redirect("/projects")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/web/hooks/{hookId:long}/deliveries/events", DeliveryEvents.StreamAsync)
            .RequireAuthorization(Policy).ExcludeFromDescription();
        // HEAD as GET (Kestrel sends no body): link checkers and image proxies ask with HEAD first.
        app.MapMethods("/projects/{key}/badge.svg", [HttpMethods.Get, HttpMethods.Head], StatusBadge.GetAsync).AllowAnonymous().ExcludeFromDescription();
    }

    public static ClaimsPrincipal Admin() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Policies.AdminRole)], Scheme));
}
