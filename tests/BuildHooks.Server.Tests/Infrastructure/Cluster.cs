using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// Several server processes on one fresh PostgreSQL database, each on its own loopback port and data directory,
/// sharing one Data Protection key ring (as docs/SCALING.md tells operators to), with a short lease.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const int LeaseSeconds = 3;

    private Cluster(List<ServerProcess> nodes) => Nodes = nodes;

    public List<ServerProcess> Nodes { get; }

    /// <summary>Starts one node per entry of <paramref name="perNode"/>, whose extra settings it holds.</summary>
    public static async Task<Cluster> StartAsync(params IDictionary<string, string>[] perNode)
    {
        var root = Directory.CreateTempSubdirectory("buildhooks-cluster-").FullName;
        var connectionString = await TestDatabase.CreateAsync(TestDatabase.Prefix + "cluster_" + Guid.NewGuid().ToString("N")[..12]);
        var nodes = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < perNode.Length; i++)
            {
                var settings = new Dictionary<string, string>(perNode[i])
                {
                    ["BuildHooks__Database__Provider"] = "postgres",
                    ["ConnectionStrings__BuildHooks"] = connectionString,
                    ["BuildHooks__DataProtectionKeysPath"] = Path.Combine(root, "shared-keys"),
                    ["BuildHooks__Delivery__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["BuildHooks__Delivery__AllowedNetworks__0"] = "127.0.0.0/8",
                };
                // One after another: the first creates the schema, the others find it.
                nodes.Add(await ServerProcess.StartAsync(Path.Combine(root, $"node{i}"), settings));
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }

        return new Cluster(nodes);
    }

    public static async Task<JsonElement> PostAsync(ServerProcess node, string path, object body)
    {
        using var response = await node.Admin.PostAsJsonAsync(path, body, BuildHooksServer.Json);
        return await BuildHooksServer.ReadAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> GetAsync(ServerProcess node, string path)
    {
        using var response = await node.Admin.GetAsync(new Uri(path, UriKind.Relative));
        return await BuildHooksServer.ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Creates a project on <paramref name="node"/> with one hook per URL; returns the project id.</summary>
    public static async Task<long> CreateProjectAsync(ServerProcess node, params string[] hookUrls)
    {
        var project = await PostAsync(node, "/api/projects", new
        {
            name = "fleet",
            repository = new { name = "fleet", selected_branch = "master" },
        });
        var id = project.GetProperty("id").GetInt64();
        foreach (var url in hookUrls)
        {
            await PostAsync(node, $"/api/projects/{id}/hooks", new { url, timeout_seconds = 60 });
        }

        return id;
    }

    /// <summary>Reports a finished build of the master branch to <paramref name="node"/>; returns the build as the API answers it.</summary>
    public static Task<JsonElement> ReportAsync(ServerProcess node, long projectId, string status = "pass") =>
        PostAsync(node, $"/api/projects/{projectId}/builds", new
        {
            commit = "e91e132612d263d95211aae6de2df9e503f22704",
            author = "Dan Sosedoff",
            message = "Commit Message",
            branch = "master",
            status,
            started_at = DateTimeOffset.UtcNow.AddSeconds(-158),
            finished_at = DateTimeOffset.UtcNow,
        });

    /// <summary>Every delivery of the project's hooks as the API shows them, whichever node is asked.</summary>
    public static async Task<List<JsonElement>> DeliveriesAsync(ServerProcess node, long projectId)
    {
        var all = new List<JsonElement>();
        foreach (var hook in (await GetAsync(node, $"/api/projects/{projectId}/hooks")).EnumerateArray())
        {
            long? before = null;
            while (true)
            {
                var page = (await GetAsync(node, $"/api/hooks/{hook.GetProperty("id").GetInt64()}/deliveries?limit=500" + (before is { } b ? $"&before={b}" : "")))
                    .EnumerateArray().ToList();
                if (page.Count == 0)
                {
                    break;
                }

                all.AddRange(page);
                before = page[^1].GetProperty("id").GetInt64();
            }
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
