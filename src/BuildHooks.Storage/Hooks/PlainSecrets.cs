using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BuildHooks.Storage.Hooks;

/// <summary>Hook secrets stored in plain text by a version before secrets were encrypted (they start with <c>whsec_</c>).</summary>
public sealed class PlainSecrets(IServiceScopeFactory scopes, WriteGate gate)
{
    /// <summary>Replaces every plain secret with <paramref name="protect"/>'s form of it; returns how many were replaced.</summary>
    public async Task<int> EncryptAsync(Func<string, string> protect, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        return await db.WriteAsync(gate, async () =>
        {
            var hooks = await db.Hooks.Where(h => h.Secret.StartsWith("whsec_")).ToListAsync(cancellationToken);
            foreach (var hook in hooks)
            {
                hook.Secret = protect(hook.Secret);
            }

            await db.SaveChangesAsync(cancellationToken);
            return hooks.Count;
        }, cancellationToken);
    }
}
