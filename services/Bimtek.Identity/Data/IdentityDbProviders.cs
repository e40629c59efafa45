using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bimtek.Identity.Data;

/// <summary>The identity database on SQLite (the default, embedded): its migrations are in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteIdentityDb(DbContextOptions<SqliteIdentityDb> options) : IdentityDb(options);

/// <summary>The identity database on PostgreSQL (deployments): its migrations are in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresIdentityDb(DbContextOptions<PostgresIdentityDb> options) : IdentityDb(options);

/// <summary>
/// For <c>dotnet ef migrations add X --context SqliteIdentityDb --output-dir Data/Migrations/Sqlite</c> (no database is
/// opened). See the README (Schema).
/// </summary>
public sealed class SqliteIdentityDbDesignFactory : IDesignTimeDbContextFactory<SqliteIdentityDb>
{
    public SqliteIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIdentityDb>().UseSqlite("Data Source=design-time.db").UseOpenIddict().Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresIdentityDb --output-dir Data/Migrations/Postgres</c> (no database is opened).</summary>
public sealed class PostgresIdentityDbDesignFactory : IDesignTimeDbContextFactory<PostgresIdentityDb>
{
    public PostgresIdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresIdentityDb>().UseNpgsql("Host=localhost;Database=bimtek_identity_design").UseOpenIddict().Options);
}
