namespace Bimtek.Coordinator.Data;

/// <summary>
/// The SQL behind the Orleans 10.4.2 ADO.NET providers, written for this repository.
/// <para>The contract (learned from the providers' code and their reference scripts):</para>
/// <list type="bullet">
/// <item>Each provider reads <c>SELECT QueryKey, QueryText FROM OrleansQuery</c> at start-up and runs
/// the texts with named parameters (<c>@ServiceId</c>, <c>@GrainIdHash</c>…), reading result columns
/// by name (case-insensitively on PostgreSQL).</item>
/// <item>Grain storage (<c>WriteToStorageKey</c>, <c>ReadFromStorageKey</c>, <c>ClearStorageKey</c>):
/// parameters GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString (the state name),
/// GrainIdExtensionString (string keys travel here), ServiceId, GrainStateVersion (the ETag, null on a
/// first write), PayloadBinary. Read returns PayloadBinary and Version. Write must return exactly one
/// row with NewGrainStateVersion: the new version, or NULL when nothing was written — the provider
/// raises InconsistentStateException for NULL, but would take zero rows with an ETag as success, so
/// every write below returns one row.</item>
/// <item>Reminders (PostgreSQL; the 10.4.2 reminder provider has no SQLite support, see
/// <see cref="SqliteReminderTable"/>): ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key (begin &lt; hash ≤ end),
/// ReadRangeRows2Key (wrapping range), UpsertReminderRowKey (returns Version), DeleteReminderRowKey
/// (returns one boolean column), DeleteReminderRowsKey.</item>
/// <item>Membership: the ten keys of <c>DbStoredQueries</c> in 10.4.2 (no MetadataJson yet); inserts and
/// updates bump the table version atomically and answer one boolean-ish column.</item>
/// </list>
/// Unlike the upstream scripts, the storage table has a unique key on the full grain identity, so
/// two concurrent first writes cannot both insert: the loser's upsert finds the row, its ETag (null)
/// does not match, and it gets InconsistentStateException.
/// </summary>
public static class OrleansSql
{
    private const string StorageKey = """
        grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
            AND grain_type_string = @GrainTypeString AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
            AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '')
        """;

    private const string StorageColumns =
        "grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string";

    private const string ReminderColumns =
        "grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version";

    // ----- PostgreSQL -----

    public const string PostgresTables = $"""
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey varchar(64) NOT NULL PRIMARY KEY,
            QueryText text NOT NULL
        );

        CREATE TABLE IF NOT EXISTS orleans_storage (
            grain_id_hash integer NOT NULL,
            grain_type_hash integer NOT NULL,
            service_id varchar(150) NOT NULL,
            grain_type_string varchar(512) NOT NULL,
            grain_id_n0 bigint NOT NULL,
            grain_id_n1 bigint NOT NULL,
            grain_id_extension_string varchar(512) NOT NULL,
            payload_binary bytea NULL,
            modified_on timestamptz NOT NULL,
            version integer NOT NULL,
            CONSTRAINT pk_orleans_storage PRIMARY KEY ({StorageColumns})
        );

        CREATE TABLE IF NOT EXISTS orleans_reminders (
            service_id varchar(150) NOT NULL,
            grain_id varchar(512) NOT NULL,
            reminder_name varchar(150) NOT NULL,
            start_time timestamptz NOT NULL,
            period bigint NOT NULL,
            grain_hash integer NOT NULL,
            version integer NOT NULL,
            CONSTRAINT pk_orleans_reminders PRIMARY KEY (service_id, grain_id, reminder_name)
        );
        CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

        CREATE TABLE IF NOT EXISTS orleans_membership_version (
            deployment_id varchar(150) NOT NULL PRIMARY KEY,
            changed_at timestamptz NOT NULL DEFAULT now(),
            version integer NOT NULL DEFAULT 0
        );

        CREATE TABLE IF NOT EXISTS orleans_membership (
            deployment_id varchar(150) NOT NULL REFERENCES orleans_membership_version (deployment_id),
            address varchar(45) NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name varchar(150) NOT NULL,
            host_name varchar(150) NOT NULL,
            status integer NOT NULL,
            proxy_port integer NULL,
            suspect_times varchar(8000) NULL,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            CONSTRAINT pk_orleans_membership PRIMARY KEY (deployment_id, address, port, generation)
        );

        -- Adds a silo row and bumps the table version in one step, or does neither (returns 0).
        CREATE OR REPLACE FUNCTION bimtek_orleans_insert_member(
            p_deployment text, p_address text, p_port integer, p_generation integer, p_silo_name text,
            p_host_name text, p_status integer, p_proxy_port integer, p_start_time timestamptz,
            p_i_am_alive_time timestamptz, p_version integer) RETURNS integer LANGUAGE plpgsql AS $body$
        DECLARE affected integer;
        BEGIN
            UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
            WHERE deployment_id = p_deployment AND version = p_version;
            GET DIAGNOSTICS affected = ROW_COUNT;
            IF affected = 0 THEN RETURN 0; END IF;
            INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                proxy_port, start_time, i_am_alive_time)
            VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
                p_start_time, p_i_am_alive_time)
            ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS affected = ROW_COUNT;
            IF affected = 0 THEN RAISE EXCEPTION 'member exists' USING ERRCODE = 'BK001'; END IF;
            RETURN 1;
        EXCEPTION WHEN SQLSTATE 'BK001' THEN
            RETURN 0;
        END
        $body$;

        -- Updates a silo row and bumps the table version in one step, or does neither (returns 0).
        CREATE OR REPLACE FUNCTION bimtek_orleans_update_member(
            p_deployment text, p_address text, p_port integer, p_generation integer, p_status integer,
            p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer) RETURNS integer LANGUAGE plpgsql AS $body$
        DECLARE affected integer;
        BEGIN
            UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
            WHERE deployment_id = p_deployment AND version = p_version;
            GET DIAGNOSTICS affected = ROW_COUNT;
            IF affected = 0 THEN RETURN 0; END IF;
            UPDATE orleans_membership SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
            WHERE deployment_id = p_deployment AND address = p_address AND port = p_port AND generation = p_generation;
            GET DIAGNOSTICS affected = ROW_COUNT;
            IF affected = 0 THEN RAISE EXCEPTION 'no such member' USING ERRCODE = 'BK002'; END IF;
            RETURN 1;
        EXCEPTION WHEN SQLSTATE 'BK002' THEN
            RETURN 0;
        END
        $body$;
        """;

    private const string MembershipSelect = """
        SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
            m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
            m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
        FROM orleans_membership_version v
        """;

    public static readonly IReadOnlyDictionary<string, string> PostgresQueries = new Dictionary<string, string>
    {
        ["WriteToStorageKey"] = $"""
            WITH written AS (
                INSERT INTO orleans_storage AS s ({StorageColumns}, payload_binary, modified_on, version)
                SELECT @GrainIdHash, @GrainTypeHash, @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                    COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, now(), 1
                WHERE @GrainStateVersion IS NULL OR EXISTS (SELECT 1 FROM orleans_storage WHERE {StorageKey})
                ON CONFLICT ({StorageColumns}) DO UPDATE
                    SET payload_binary = excluded.payload_binary, modified_on = excluded.modified_on, version = s.version + 1
                    WHERE s.version = @GrainStateVersion
                RETURNING s.version)
            SELECT (SELECT version FROM written) AS NewGrainStateVersion
            """,
        ["ReadFromStorageKey"] = $"""
            SELECT payload_binary AS PayloadBinary, version AS Version FROM orleans_storage WHERE {StorageKey}
            """,
        ["ClearStorageKey"] = $"""
            WITH cleared AS (
                UPDATE orleans_storage SET payload_binary = NULL, modified_on = now(), version = version + 1
                WHERE {StorageKey} AND version = @GrainStateVersion
                RETURNING version)
            SELECT (SELECT version FROM cleared) AS NewGrainStateVersion
            """,

        ["UpsertReminderRowKey"] = """
            INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, CAST(@Period AS bigint), @GrainHash, 0)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = r.version + 1
            RETURNING r.version AS Version
            """,
        ["ReadReminderRowsKey"] = $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId",
        ["ReadReminderRowKey"] = $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName",
        ["ReadRangeRows1Key"] = $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash",
        ["ReadRangeRows2Key"] = $"SELECT {ReminderColumns} FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)",
        ["DeleteReminderRowKey"] = """
            WITH deleted AS (
                DELETE FROM orleans_reminders
                WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
                RETURNING 1)
            SELECT count(*) > 0 FROM deleted
            """,
        ["DeleteReminderRowsKey"] = "DELETE FROM orleans_reminders WHERE service_id = @ServiceId",

        ["InsertMembershipVersionKey"] = """
            WITH inserted AS (
                INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId) ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM inserted
            """,
        ["InsertMembershipKey"] = """
            SELECT bimtek_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
            """,
        ["UpdateMembershipKey"] = """
            SELECT bimtek_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                @IAmAliveTime, @Version)
            """,
        ["UpdateIAmAlivetimeKey"] = """
            UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
            WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
            """,
        ["MembershipReadRowKey"] = $"""
            {MembershipSelect}
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deployment_id = @DeploymentId
            """,
        ["MembershipReadAllKey"] = $"""
            {MembershipSelect}
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId
            """,
        ["GatewaysQueryKey"] = """
            SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,
        ["DeleteMembershipTableEntriesKey"] = """
            DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
            DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
            """,
        // Dead silos (status 6) that stopped reporting before the cut-off.
        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status = 6
            """,
        ["CleanupDefunctSiloEntryKey"] = """
            DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port
                AND generation = @Generation AND status = 6
            """,
    };

    // ----- SQLite (embedded single silo: SqliteGrainStorage and SqliteReminderTable in one file) -----
    // The stock ADO.NET providers are never built on SQLite, so no OrleansQuery rows are needed
    // here. Files created before this change had an unused OrleansQuery and orleans_storage table;
    // they are dropped (both were only ever written by this installer).

    public const string SqliteTables = """
        DROP TABLE IF EXISTS orleans_storage;
        DROP TABLE IF EXISTS OrleansQuery;

        -- Grain state of SqliteGrainStorage (the stock provider cannot run on SQLite in 10.4.2).
        CREATE TABLE IF NOT EXISTS orleans_grain_state (
            service_id TEXT NOT NULL,
            state_name TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            payload BLOB NULL,
            version INTEGER NOT NULL,
            modified_on TEXT NOT NULL,
            PRIMARY KEY (service_id, state_name, grain_id)
        );

        CREATE TABLE IF NOT EXISTS orleans_reminders (
            service_id TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            reminder_name TEXT NOT NULL,
            start_time TEXT NOT NULL,
            period INTEGER NOT NULL,
            grain_hash INTEGER NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name)
        );
        CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);
        """;
}
