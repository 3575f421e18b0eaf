using System.Reflection;
using BuildHooks.Server;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests;

/// <summary>One endpoint of the API reference: its method, route and what the route, query and JSON body take.</summary>
public sealed record ApiEndpoint(string Method, RoutePattern Route, bool Anonymous, IReadOnlyList<string> QueryNames, IReadOnlyList<string> BodyFields)
{
    public override string ToString() => $"{Method} {Route.RawText}";
}

/// <summary>
/// Every endpoint the server maps into its API reference, read from the real app's routing table, so an endpoint
/// added tomorrow is fuzzed and auth-checked without anyone remembering to list it.
/// </summary>
public static class ApiEndpoints
{
    private static readonly Lazy<Task<IReadOnlyList<ApiEndpoint>>> All = new(ReadAsync);

    public static Task<IReadOnlyList<ApiEndpoint>> AllAsync() => All.Value;

    private static async Task<IReadOnlyList<ApiEndpoint>> ReadAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "buildhooks-tests", Guid.NewGuid().ToString("N"));
        await using var app = await BuildHooksApp.CreateAsync([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["BuildHooks:DataDirectory"] = dataDirectory,
                ["BuildHooks:AdminToken"] = "endpoint-listing",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(InReference)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
                .Select(m => new ApiEndpoint(m, e.RoutePattern, e.Metadata.GetMetadata<IAllowAnonymous>() is not null, QueryNames(e), BodyFields(e))))
            .OrderBy(e => e.Route.RawText, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
        Assert.True(endpoints.Count >= 15, $"Only {endpoints.Count} API endpoints found; the listing is broken.");
        return endpoints;
    }

    /// <summary>What /openapi/v1.json describes: tagged minimal-API endpoints not excluded from the description.</summary>
    private static bool InReference(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<ITagsMetadata>() is { Tags.Count: > 0 }
        && endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true };

    /// <summary>The handler's simple parameters that are not in the route: the query string it reads.</summary>
    private static List<string> QueryNames(RouteEndpoint endpoint)
    {
        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var method = endpoint.Metadata.GetMetadata<MethodInfo>();
        return method?.GetParameters()
            .Where(p => p.Name is not null && !route.Contains(p.Name) && IsSimple(p.ParameterType))
            .Select(p => p.Name!)
            .ToList() ?? [];
    }

    /// <summary>The members of the endpoint's JSON body as a client spells them (the server refuses any other).</summary>
    private static List<string> BodyFields(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } body
            ? new System.Text.Json.JsonSerializerOptions(BuildHooksServer.Json) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() }
                .GetTypeInfo(body).Properties.Where(p => p.Set is not null).Select(p => p.Name).ToList()
            : [];

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);
    }
}
