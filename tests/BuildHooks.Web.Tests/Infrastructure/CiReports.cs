using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>Builds reported to the web tests' server the way CI reports them: with the project's report token, not the admin's.</summary>
public static class CiReports
{
    /// <summary>Reports a finished build and returns it as the API answered.</summary>
    public static async Task<JsonElement> ReportBuildAsync(this InProcessServer server, long projectId, string reportToken, string status = "pass")
    {
        var finished = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/builds")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["commit"] = "e91e132612d263d95211aae6de2df9e503f22704",
                ["author"] = "Dan Sosedoff",
                ["message"] = "Fix the login screen",
                ["branch"] = "master",
                ["status"] = status,
                ["started_at"] = finished.AddSeconds(-158),
                ["finished_at"] = finished,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reportToken);
        using var response = await server.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Reporting a build failed with {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
