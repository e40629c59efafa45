namespace Bimtek.Data.Persistence;

public enum DatabaseProvider
{
    /// <summary>An embedded file: the default, so the suite runs with only the .NET SDK.</summary>
    Sqlite,

    /// <summary>The deployment database.</summary>
    Postgres,
}

/// <summary>
/// Where a service keeps its data. PostgreSQL when <c>ConnectionStrings:Postgres</c> is set;
/// otherwise an SQLite file named after the service under <see cref="DataDirectory"/>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Folder of the embedded SQLite files (<c>Database:DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Attempts for a transaction that PostgreSQL aborted as a serialization failure or deadlock.</summary>
    public int MaxTransactionAttempts { get; set; } = 8;

    /// <summary>
    /// Whether, on PostgreSQL, a service with a <see cref="DataChangeListener"/> answers read-mostly views from memory
    /// between writes (<c>Database:CacheReads</c>). Turn it off where LISTEN/NOTIFY does not reach every instance
    /// (a pooler in transaction mode between the service and PostgreSQL): then every read goes to the database.
    /// </summary>
    public bool CacheReads { get; set; } = true;
}
