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
    public async Task Docs_page_is_html_without_a_token()
    {
        using var response = await fixture.Server.Anonymous.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }
}
