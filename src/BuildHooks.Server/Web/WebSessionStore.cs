using System.Buffers.Text;
using System.Security.Cryptography;
using BuildHooks.Storage;
using BuildHooks.Storage.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Web;

/// <summary>
/// Keeps the web sessions' tickets in the database (ASP.NET Core's <see cref="ITicketStore"/>), so the cookie carries
/// only a session's key: Sign out deletes the session and a copy of the cookie taken before it no longer signs anyone
/// in, on every node that shares the database. Sessions that ran out are deleted at the next sign-in, which is rare
/// enough to pay for it.
/// </summary>
internal sealed class WebSessionStore(IServiceScopeFactory scopes, TimeProvider time) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var session = new WebSession
        {
            Key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            ExpiresAtMs = ExpiresAtMs(ticket),
        };
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await WriteAsync(async db =>
        {
            await db.WebSessions.Where(s => s.ExpiresAtMs <= nowMs).ExecuteDeleteAsync();
            db.WebSessions.Add(session);
            return await db.SaveChangesAsync();
        });
        return session.Key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expiresAtMs = ExpiresAtMs(ticket);
        return WriteAsync(db => db.WebSessions.Where(s => s.Key == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAtMs, expiresAtMs)));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bytes = await scope.ServiceProvider.GetRequiredService<BuildHooksDb>().WebSessions.AsNoTracking()
            .Where(s => s.Key == key && s.ExpiresAtMs > nowMs).Select(s => s.Ticket).FirstOrDefaultAsync();
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => WriteAsync(db => db.WebSessions.Where(s => s.Key == key).ExecuteDeleteAsync());

    private async Task<int> WriteAsync(Func<BuildHooksDb, Task<int>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        return await db.WriteAsync(scope.ServiceProvider.GetRequiredService<WriteGate>(), () => work(db), CancellationToken.None);
    }

    // The cookie handler sets the ticket's expiry (ExpireTimeSpan, slid on renewal); a ticket without one lasts as long.
    private long ExpiresAtMs(AuthenticationTicket ticket) =>
        (ticket.Properties.ExpiresUtc ?? time.GetUtcNow().Add(WebInterface.SessionLifetime)).ToUnixTimeMilliseconds();
}
