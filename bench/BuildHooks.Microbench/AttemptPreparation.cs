using BenchmarkDotNet.Attributes;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Storage.Queue;
using BuildHooks.Storage.Schema;
using Microsoft.AspNetCore.DataProtection;

namespace BuildHooks.Microbench;

/// <summary>What the dispatcher reads from a claimed delivery before each attempt: the signing secrets and the custom headers.</summary>
[MemoryDiagnoser]
public class AttemptPreparation
{
    private readonly SecretProtector _secrets = new(new EphemeralDataProtectionProvider());
    private ClaimedDelivery _delivery = null!;

    [GlobalSetup]
    public void Setup()
    {
        var hook = Sample.Hook();
        hook.Secret = _secrets.Protect(Sample.Secret);
        hook.PreviousSecret = _secrets.Protect(Sample.PreviousSecret);
        hook.PreviousSecretExpiresAtMs = Sample.Now.AddHours(1).ToUnixTimeMilliseconds();
        _delivery = ClaimedDelivery.New(1, Sample.WebhookId, hook, new([], "application/json"));
    }

    /// <summary>Decrypted once, then from the protector's cache, as on every attempt after a hook's first.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<string> Secrets() => _secrets.ForSigning(_delivery.Secret, null, null, Sample.Now);

    [Benchmark]
    public IReadOnlyList<string> Secrets_while_rotating() =>
        _secrets.ForSigning(_delivery.Secret, _delivery.PreviousSecret, _delivery.PreviousSecretExpiresAtMs, Sample.Now);

    [Benchmark]
    public Dictionary<string, string> Custom_headers() => JsonColumn.Read<Dictionary<string, string>>(_delivery.Headers);
}
