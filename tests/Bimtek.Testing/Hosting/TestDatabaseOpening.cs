using Bimtek.Data.Persistence;

namespace Bimtek.Testing.Hosting;

public static class TestDatabaseOpening
{
    /// <summary>A service database on this test database: PostgreSQL's, or the SQLite file of this name in its data folder.</summary>
    public static Database Open(this TestDatabase db, string sqliteFile) => db.Kind == DatabaseKind.Postgres
        ? Database.ForPostgres(db.PostgresConnectionString!)
        : Database.ForSqlite(Path.Combine(db.Configuration["Database:DataDirectory"]!, sqliteFile));
}
