using System.Text;

namespace BuildHooks.Bench;

/// <summary>
/// A stand-in Standard payload for when no real delivery has been seen (--ceiling-only, or a run
/// where nothing arrived). It follows the envelope's shape and rough size so the flood is comparable.
/// </summary>
public static class SamplePayload
{
    public static byte[] Create(CommitSha shas) => Encoding.UTF8.GetBytes(Template
        .Replace("COMMIT", shas.For(0), StringComparison.Ordinal)
        .Replace("SHORT", shas.For(0)[..7], StringComparison.Ordinal));

    private const string Template = """
        {"type":"build.finished","timestamp":"2025-11-25T12:00:00+00:00","data":{"build":{"id":130,"uuid":"0b8c6f0e-3d0e-4f0a-9a52-5d1c2e9b7a41","project_id":1,"number":130,"title":"[PASS] bench-1 #130 (main - SHORT) by Bench","commit":"COMMIT","author":"Bench","committer":"Bench","message":"bench","branch":"main","state":"finished","status":"pass","result":0,"successful":true,"duration":158,"duration_string":"2m 38s","commit_url":"https://example.com/bench-1/commit/COMMIT","compare_url":null,"build_url":"http://127.0.0.1:5000/projects/1/builds/130","started_at":"2025-11-25T11:57:22+00:00","finished_at":"2025-11-25T12:00:00+00:00","artifacts":[]},"project":{"id":1,"key":"AQ_9V0GKpZ8Zkjj_","name":"bench-1","repository":{"name":"bench-1","selected_branch":"main","html_url":"https://example.com/bench-1","clone_url":"https://example.com/bench-1.git"}},"hook":{"id":1,"url":"http://127.0.0.1:5001/hook/1","format":"standard"}}}
        """;
}
