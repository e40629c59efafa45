using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Bimtek.Identity.Data;

/// <summary>
/// The identity service's own database: ASP.NET Core Identity's tables, OpenIddict's stores
/// (applications, authorizations, scopes, tokens) and this service's one-time secrets and applied changes.
/// One model, one subclass per provider (<see cref="SqliteIdentityDb"/>, <see cref="PostgresIdentityDb"/>), each with
/// its own EF Core migrations (<c>Data/Migrations/{Sqlite,Postgres}</c>), applied at start-up by <see cref="IdentitySchema"/>.
/// </summary>
public abstract class IdentityDb(DbContextOptions options) : IdentityDbContext<Account>(options)
{
    public DbSet<OneTimeSecret> OneTimeSecrets => Set<OneTimeSecret>();

    public DbSet<AppliedChange> AppliedChanges => Set<AppliedChange>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<Account>(account =>
        {
            account.HasIndex(a => a.Subject).IsUnique();
            account.Property(a => a.Subject).HasMaxLength(200);
            account.Property(a => a.Role).HasMaxLength(32);
            account.Property(a => a.DisplayName).HasMaxLength(200);
            account.Property(a => a.Office).HasMaxLength(100);
        });
        builder.Entity<OneTimeSecret>(secret =>
        {
            secret.ToTable("one_time_secrets");
            secret.HasKey(s => s.Id);
            secret.HasIndex(s => s.RequestId).IsUnique();
            secret.HasIndex(s => new { s.AccountId, s.Purpose });
            secret.Property(s => s.Hash).HasMaxLength(64);
        });
        builder.Entity<AppliedChange>(change =>
        {
            change.ToTable("applied_changes");
            change.HasKey(c => c.RequestId);
        });
    }
}
