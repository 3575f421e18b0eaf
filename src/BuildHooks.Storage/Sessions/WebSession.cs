using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Sessions;

/// <summary>
/// A signed-in browser session: its sign-in ticket, kept here so that signing out ends it on every node, where a
/// cookie that carried the ticket itself stayed valid until it expired, even after Sign out.
/// </summary>
public sealed class WebSession
{
    public long Id { get; set; }

    /// <summary>The random key the session's cookie carries (protected by ASP.NET Core Data Protection).</summary>
    public required string Key { get; set; }

    /// <summary>The serialized authentication ticket.</summary>
    public required byte[] Ticket { get; set; }

    /// <summary>Unix milliseconds after which the session is over (compared in SQL, hence a number).</summary>
    public long ExpiresAtMs { get; set; }
}

internal sealed class WebSessionConfiguration : IEntityTypeConfiguration<WebSession>
{
    public void Configure(EntityTypeBuilder<WebSession> e)
    {
        e.HasIndex(s => s.Key).IsUnique();
        e.HasIndex(s => s.ExpiresAtMs);
    }
}
