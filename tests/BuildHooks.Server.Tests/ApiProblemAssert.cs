using System.Net;
using System.Text.Json;

namespace BuildHooks.Server.Tests;

/// <summary>What a client may rely on in an error: an RFC 9457 body with status, title and a detail that says what to fix.</summary>
public static class ApiProblemAssert
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Asserts a Problem Details answer with <paramref name="status"/> whose detail mentions each of <paramref name="mentions"/>.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] mentions)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return IsProblemBody(response, text, mentions);
    }

    /// <summary>
    /// Asserts a 400 validation problem that lists <paramref name="field"/> in errors and whose detail names
    /// <paramref name="mention"/>: the field, or for list and map fields the offending item.
    /// </summary>
    public static async Task<JsonElement> IsInvalidFieldAsync(HttpResponseMessage response, string field, string? mention = null)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest, mention ?? field);
        var messages = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var listed) ? listed : default;
        Assert.True(messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0, $"Expected errors.{field} in {problem}");
        return problem;
    }

    public static JsonElement IsProblemBody(HttpResponseMessage response, string text, params string[] mentions)
    {
        var where = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}";
        Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson,
            $"{where}: expected {ProblemJson} but got '{response.Content.Headers.ContentType}': {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(problem.TryGetProperty("status", out var s) && s.GetInt32() == (int)response.StatusCode, $"{where}: status missing or wrong in {text}");
        Assert.True(problem.TryGetProperty("title", out var title) && !string.IsNullOrWhiteSpace(title.GetString()), $"{where}: no title in {text}");
        Assert.True(problem.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 }, $"{where}: no detail in {text}");
        var detail = d.GetString()!;
        Assert.True(!NamesDotNetTypes(text), $"{where}: the problem names .NET types instead of JSON fields: {text}");
        foreach (var mention in mentions)
        {
            Assert.True(detail.Contains(mention, StringComparison.OrdinalIgnoreCase), $"{where}: detail does not mention '{mention}': {detail}");
        }

        return problem;
    }

    /// <summary>Framework messages name the CLR type ("System.Nullable`1[System.Int32]", "BuildHooks.Server.Contracts.HookWrite"), which a client cannot act on.</summary>
    private static bool NamesDotNetTypes(string text) =>
        new[] { "System.", "BuildHooks.Server.", "Nullable<", "`1", ".NET member" }.Any(t => text.Contains(t, StringComparison.Ordinal));
}
