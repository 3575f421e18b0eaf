using BenchmarkDotNet.Attributes;
using BuildHooks.Delivery.Sending;

namespace BuildHooks.Microbench;

/// <summary>Redaction of what the attempt log keeps: every request and response header, and the hook's URL.</summary>
[MemoryDiagnoser]
public class Redaction
{
    [Benchmark(Baseline = true)]
    public string Plain_header() => HeaderRedaction.Value("Content-Type", "text/plain; charset=utf-8");

    [Benchmark]
    public string Secret_header() => HeaderRedaction.Value("Authorization", "Bearer hunter2");

    [Benchmark]
    public string Url_with_token() => UrlRedaction.Redact("https://hooks.example.com/ci/builds?team=mobile&token=s3cr3t");

    [Benchmark]
    public string Url_without_query() => UrlRedaction.Redact("https://hooks.example.com/ci/builds");
}
