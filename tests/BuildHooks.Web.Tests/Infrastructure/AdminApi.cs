using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>Set-up through the admin API (what the tour already proved the pages can do), and a signed-in page.</summary>
public sealed class AdminApi(InProcessServer server) : IDisposable
{
    private readonly HttpClient _client = new()
    {
        BaseAddress = new Uri(server.BaseUrl),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.AdminToken) },
    };

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends a request the server must refuse with 409, and returns its Problem Details' detail.</summary>
    public async Task<string> RefusalAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Conflict, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>Creates a project; returns its id, key and report token.</summary>
    public async Task<(long Id, string Key, string Token)> CreateProjectAsync(string name)
    {
        var project = await SendAsync(HttpMethod.Post, "/api/projects", new Dictionary<string, object> { ["name"] = name });
        return (project.GetProperty("id").GetInt64(), project.GetProperty("key").GetString()!, project.GetProperty("report_token").GetString()!);
    }

    public async Task<long> CreateHookAsync(long projectId, object hook) =>
        (await SendAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", hook)).GetProperty("id").GetInt64();

    public Task<JsonElement> HookAsync(long projectId, long hookId) => SendAsync(HttpMethod.Get, $"/api/projects/{projectId}/hooks/{hookId}");

    /// <summary>A browser page signed in as the admin, at the projects list.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, InProcessServer server)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        // Confirmations (delete, rotate) are accepted as a person who means it would.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Admin token").FillAsync(InProcessServer.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    public void Dispose() => _client.Dispose();
}
