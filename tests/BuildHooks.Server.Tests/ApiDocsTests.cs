using System.Net;
using System.Text.Json;

namespace BuildHooks.Server.Tests;

/// <summary>What anyone can open without a token: the health check, the OpenAPI document and the API reference.</summary>
public sealed class ApiDocsTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Health_check_answers_200_without_a_token()
    {
        using var response = await fixture.Server.Anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_is_json_that_lists_the_api_without_a_token()
    {
        using var response = await fixture.Server.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/projects", "/api/projects/{id}", "/api/projects/{projectId}/hooks", "/api/projects/{projectId}/builds",
            "/api/builds/{id}", "/api/hooks/{hookId}/deliveries", "/api/deliveries/{id}",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }

        Assert.True(paths.GetProperty("/api/projects").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_write_bodies_require_only_what_the_server_refuses_without()
    {
        var schemas = (await OpenApiAsync()).GetProperty("components").GetProperty("schemas");

        // What the README gives defaults for is optional; a build report cannot do without its commit, branch and start.
        Assert.Equal(["branch", "commit", "started_at"], Required(schemas, "BuildReport"));
        Assert.Empty(Required(schemas, "HookWrite"));
        Assert.Empty(Required(schemas, "BinWrite"));
        Assert.Empty(Required(schemas, "RepositoryDto"));
        Assert.Empty(Required(schemas, "ProjectWrite"));
        Assert.Empty(Required(schemas, "BuildFinish"));
        Assert.Equal(["since"], Required(schemas, "RecoverRequest"));
        // Required on creation only: said in words, since POST and PATCH share the body.
        Assert.Contains("Required when creating", schemas.GetProperty("HookWrite").GetProperty("properties").GetProperty("url").GetProperty("description").GetString(), StringComparison.Ordinal);

        // Strings are typed (a custom converter reads them, which the generator cannot see through), nullable where the contract is.
        Assert.Equal(["null", "string"], Types(schemas, "BuildReport", "commit"));
        Assert.Equal(["string"], Types(schemas, "HookView", "url"));

        // And the document's own promise holds: a hook with only a url is created.
        var (projectId, _) = await fixture.Server.CreateProjectAsync();
        await fixture.Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hook" });
    }

    [Fact]
    public async Task The_api_operations_ask_for_a_bearer_token_and_the_artifact_download_does_not()
    {
        var document = await OpenApiAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        foreach (var (path, method, operation) in operations)
        {
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("bearer", out _));
            Assert.True(secured == path.StartsWith("/api/", StringComparison.Ordinal), $"{method} {path}: security {(secured ? "bearer" : "none")}");
        }
    }

    [Fact]
    public async Task Docs_page_is_html_without_a_token()
    {
        using var response = await fixture.Server.Anonymous.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        using var response = await fixture.Server.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static List<string> Required(JsonElement schemas, string name) =>
        schemas.GetProperty(name).TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToList()
            : [];

    private static List<string> Types(JsonElement schemas, string name, string property)
    {
        var type = schemas.GetProperty(name).GetProperty("properties").GetProperty(property).GetProperty("type");
        return (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!]).Order(StringComparer.Ordinal).ToList();
    }
}
