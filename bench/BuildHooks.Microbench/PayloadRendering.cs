using BenchmarkDotNet.Attributes;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;

namespace BuildHooks.Microbench;

/// <summary>Rendering one build for one hook: runs once per build and matching hook, in the intake's transaction.</summary>
[MemoryDiagnoser]
public class PayloadRendering
{
    private BuildEvent _event = null!;

    [ParamsAllValues]
    public PayloadFormat Format { get; set; }

    [ParamsAllValues]
    public HookContentType ContentType { get; set; }

    [GlobalSetup]
    public void Setup() => _event = Sample.Event(Format, ContentType);

    [Benchmark]
    public RenderedPayload Render() => PayloadRenderer.Render(_event, Sample.Now);
}
