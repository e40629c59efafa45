namespace Bimtek.Testing.Postgres;

/// <summary>Where the shared test PostgreSQL came from; the value of <see cref="PostgresServer.Source"/>.</summary>
public static class PostgresSource
{
    public const string Environment = "environment";
    public const string Testcontainers = "testcontainers";
    public const string LocalBinaries = "local binaries";
}
