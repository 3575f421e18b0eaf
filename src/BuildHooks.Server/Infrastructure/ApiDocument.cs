using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using BuildHooks.Server.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BuildHooks.Server.Infrastructure;

/// <summary>
/// The OpenAPI document at /openapi/v1.json (and /docs). A body property is required when the server refuses a
/// request without it: the generator already leaves out constructor parameters with defaults, and
/// <see cref="RequiredAttribute"/> marks the few a body cannot do without. Every operation that needs a token says so
/// with the bearer scheme, so /docs offers to send one.
/// </summary>
public static class ApiDocument
{
    private const string Bearer = "bearer";

    public static void AddApiDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // Strings are read by TextConverter, a custom converter, so the generator knows nothing of them and leaves
            // {}: say they are strings, and keep the description their property gives.
            if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
            {
                schema.Type = context.JsonPropertyInfo is { IsGetNullable: false } ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            }

            if (schema.Description is null
                && context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true) is [DescriptionAttribute described, ..])
            {
                schema.Description = described.Description;
            }

            var required = context.JsonTypeInfo.Properties
                .Where(p => p.AttributeProvider is ICustomAttributeProvider a && a.IsDefined(typeof(RequiredAttribute), inherit: true))
                .Select(p => p.Name)
                .ToList();
            if (required.Count > 0)
            {
                schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                schema.Required.UnionWith(required);
            }

            return Task.CompletedTask;
        });
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The admin token (bha_…), or for reporting builds and uploading artifacts a project's report token (bhr_…).",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            // Anonymous operations (an artifact download carries its build's access token in the query) need no token.
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    });
}
