-- Webhooks.Orleans — PostgreSQL schema, version 3: cluster membership for Orleans' ADO.NET clustering
-- provider (Microsoft.Orleans.Clustering.AdoNet, invariant "Npgsql"). Uses OrleansQuery from version 1.
--
-- Silos (and clients, through the gateway list) find each other here. The provider loads all of OrleansQuery
-- when membership starts and refuses to start unless the nine required keys below are present; a tenth,
-- CleanupDefunctSiloEntryKey, is optional and, when present, replaces the bulk clean-up with a per-row one.
-- Their contract, fixed by the provider:
--   * parameters it binds: @DeploymentId (the cluster id, text), @Address (text), @Port, @Generation,
--     @Status, @ProxyPort (int4), @SiloName, @HostName (text), @StartTime and @IAmAliveTime (UTC
--     DateTimes), @SuspectTimes (text, NULL when no silo suspects this one) and @Version (int4, the table
--     version the caller last read);
--   * a membership read returns the version row LEFT JOINed to the silo rows, with the columns Address,
--     Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime and
--     Version, read by name; a NULL StartTime means "version row only, no silo". It must return at least the
--     version row, which InsertMembershipVersionKey creates when a silo first starts;
--   * the gateway list returns Address, ProxyPort and Generation of the active silos;
--   * InsertMembershipVersionKey, InsertMembershipKey and UpdateMembershipKey return one row with one column:
--     true on success, false when nothing was done. Insert and update succeed only when the version row still
--     holds @Version, and then move it on by one, together with the silo row, in the same statement.
--
-- Silo status values (Orleans' SiloStatus): 3 = Active, 6 = Dead.
--
-- PostgreSqlSchemaInstaller applies this file once, under the schema lock, and records version 3.

-- One row per cluster: the table version every membership change must name and move on (optimistic
-- concurrency for the whole table).
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port and generation) in a cluster.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL DEFAULT 0,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Create the cluster's version row (version 0) unless it exists; true when this call created it.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
    WITH created AS
    (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) > 0 AS Created FROM created;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Add a silo row and move the table version on, both or neither. The version row is updated first: its row
-- lock makes concurrent writers holding the same @Version queue, and each one after the first finds the
-- version moved on and changes nothing. The silo row is only inserted from the row the update returned; a
-- silo row that already exists means "nothing done" and also leaves the version alone. (Should a duplicate
-- still slip in, the primary key raises an error, and the whole statement is rolled back.)
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
    WITH bumped AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1,
            Timestamp = now()
        WHERE DeploymentId = @DeploymentId
          AND Version = @Version
          AND NOT EXISTS
          (
              SELECT 1 FROM OrleansMembershipTable
              WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
          )
        RETURNING DeploymentId
    ),
    inserted AS
    (
        INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
                                            ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
               COALESCE(@ProxyPort, 0), @StartTime, @IAmAliveTime
        FROM bumped
        RETURNING 1
    )
    SELECT count(*) > 0 AS Inserted FROM inserted;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Change a silo row (status, suspicions, liveness) and move the table version on, both or neither, under the
-- same version lock as the insert. False when the version moved on or the silo row does not exist.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
    WITH bumped AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1,
            Timestamp = now()
        WHERE DeploymentId = @DeploymentId
          AND Version = @Version
          AND EXISTS
          (
              SELECT 1 FROM OrleansMembershipTable
              WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
          )
        RETURNING DeploymentId
    ),
    updated AS
    (
        UPDATE OrleansMembershipTable AS m
        SET Status = @Status,
            SuspectTimes = @SuspectTimes,
            IAmAliveTime = @IAmAliveTime
        FROM bumped
        WHERE m.DeploymentId = bumped.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
        RETURNING 1
    )
    SELECT count(*) > 0 AS Updated FROM updated;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A silo's heartbeat. It does not touch the table version; the provider checks no result.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One silo's row with the table version; the version row alone (NULL silo columns) when the silo has no row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT JOIN OrleansMembershipTable AS m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Every silo row of the cluster with the table version; the version row alone when there are none.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT JOIN OrleansMembershipTable AS m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Forget a whole cluster (its silo rows, then its version row).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The gateways a client may connect to: active silos (@Status is Active) that accept clients.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Bulk clean-up (required key; the provider uses it only when CleanupDefunctSiloEntryKey is absent): remove
-- the rows of dead silos not heard from since @IAmAliveTime. Only Dead rows: a silo that is joining, active or
-- shutting down is never removed here, however quiet.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Per-row clean-up (optional key, used when present): the provider reads the table, picks the Dead rows older
-- than its cut-off, and removes each one only if it is still exactly as read (status, start, last heartbeat
-- and suspicions unchanged), so a row that changed in between is left for the next round.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
      AND Status = 6
      AND StartTime = @StartTime
      AND IAmAliveTime = @IAmAliveTime
      AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
