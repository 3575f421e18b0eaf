using BenchmarkDotNet.Attributes;
using BuildHooks.Core.Signing;

namespace BuildHooks.Microbench;

/// <summary>The two signature headers of one attempt over a Standard payload, while a secret rotates and not.</summary>
[MemoryDiagnoser]
public class WebhookSigning
{
    private readonly byte[] _body = Sample.StandardBody();
    private readonly string[] _current = [Sample.Secret];
    private readonly string[] _rotating = [Sample.Secret, Sample.PreviousSecret];

    [Benchmark(Baseline = true)]
    public string Standard() => WebhookSigner.StandardSignature(Sample.WebhookId, Sample.Timestamp, _body, _current);

    [Benchmark]
    public string Standard_while_rotating() => WebhookSigner.StandardSignature(Sample.WebhookId, Sample.Timestamp, _body, _rotating);

    [Benchmark]
    public string GitHub() => WebhookSigner.GitHubSignature(_body, Sample.Secret);
}
