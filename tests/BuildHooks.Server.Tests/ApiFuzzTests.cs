using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Nothing a client sends makes the server answer 5xx or stop answering: thousands of seeded requests a run, spread
/// over every endpoint of the API reference. BUILDHOOKS_FUZZ_SEED replays a run, BUILDHOOKS_FUZZ_COUNT sets its size.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    public const int DefaultCount = 4000;
    private const int DefaultSeed = 20261125;
    private const long MaxBodyBytes = 1024 * 1024;

    [Fact]
    public async Task Every_endpoint_answers_fuzzed_requests_with_a_success_or_a_4xx_problem_and_the_server_keeps_serving()
    {
        var seed = FromEnvironment("BUILDHOOKS_FUZZ_SEED", DefaultSeed);
        var count = FromEnvironment("BUILDHOOKS_FUZZ_COUNT", DefaultCount);
        var endpoints = await ApiEndpoints.AllAsync();
        await using var server = await BuildHooksServer.StartAsync();
        await SeedAsync(server);

        var generator = new ApiFuzzRequests(seed, MaxBodyBytes);
        var requests = Enumerable.Range(0, count).Select(i => generator.Next(endpoints[i % endpoints.Count])).ToList();
        var wrong = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            var (status, complaint) = await SendAsync(server.Admin, request);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (complaint is not null)
            {
                wrong.Add($"{complaint}: {request}");
            }
        });

        var summary = $"seed {seed} (BUILDHOOKS_FUZZ_SEED), {count} requests over {endpoints.Count} endpoints; statuses " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(summary);
        output.WriteLine("endpoints: " + string.Join(", ", endpoints));
        Assert.True(wrong.IsEmpty, $"{wrong.Count} wrong answers, {summary}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, wrong.OrderBy(w => w.StartsWith("5xx", StringComparison.Ordinal) ? 0 : 1).ThenBy(w => w, StringComparer.Ordinal).Take(40)) +
            $"{Environment.NewLine}server errors:{Environment.NewLine}" + string.Join(Environment.NewLine, server.Errors.Entries.Take(5)));
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) > 3, $"the garbage should mostly be refused, {summary}");
        Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300), $"some requests should get through, {summary}");

        using var health = await server.Anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (afterwards, _) = await server.CreateProjectAsync("after-the-fuzz");
        Assert.Equal("after-the-fuzz", (await server.GetAsync($"/api/projects/{afterwards}")).GetProperty("name").GetString());
    }

    /// <summary>Projects 1…12 with a hook, a finished build and its delivery each, so that known ids reach the handlers' logic.</summary>
    private static async Task SeedAsync(BuildHooksServer server)
    {
        for (var i = 0; i < 2 * ApiFuzzRequests.KnownIds; i++)
        {
            var (projectId, _) = await server.CreateProjectAsync($"fuzzed-{i}");
            await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/fuzz", max_attempts = 1 });
            await server.ReportBuildAsync(projectId);
        }
    }

    /// <summary>The status and, when the answer breaks the contract, what is wrong with it.</summary>
    private static async Task<(int Status, string? Complaint)> SendAsync(HttpClient client, ApiFuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Endpoint.Method), new Uri(fuzz.PathAndQuery, UriKind.Relative));
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }

            if (fuzz.Body.Length > MaxBodyBytes)
            {
                // As curl does for large uploads: the server can refuse before the body is sent. Kestrel closes the
                // connection after refusing (or ignoring) an oversized body, so it must not go back to the pool.
                request.Headers.ExpectContinue = true;
                request.Headers.ConnectionClose = true;
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException e) when (fuzz.Body?.Length > MaxBodyBytes && e.InnerException is IOException)
        {
            // An endpoint that reads no body answers at once and Kestrel closes the connection rather than swallow
            // a megabyte: the client sees its upload cut off. Not an answer, and not a failure of the server.
            return (0, null);
        }
        catch (HttpRequestException e)
        {
            return (0, $"no answer ({e.Message} {e.InnerException?.Message})");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            return (status, Complaint(fuzz, response, status, text));
        }
    }

    private static string? Complaint(ApiFuzzRequest fuzz, HttpResponseMessage response, int status, string text)
    {
        if (status is >= 200 and < 300)
        {
            return null;
        }

        if (status is < 400 or >= 500)
        {
            return $"{(status >= 500 ? "5xx" : "not 2xx/4xx")} {status} {Excerpt(text)}";
        }

        if (fuzz.Endpoint.Method == "HEAD")
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != ApiProblemAssert.ProblemJson)
        {
            return $"4xx {status} without problem+json ('{response.Content.Headers.ContentType}') {Excerpt(text)}";
        }

        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            var ok = problem.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
                && problem.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 }
                && problem.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 };
            return ok ? null : $"4xx {status} problem without status/title/detail {Excerpt(text)}";
        }
        catch (JsonException)
        {
            return $"4xx {status} problem that is not JSON {Excerpt(text)}";
        }
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
