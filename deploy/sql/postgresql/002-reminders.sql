-- Webhooks.Orleans — PostgreSQL schema, version 2: durable reminders for Orleans' ADO.NET reminder table
-- (Microsoft.Orleans.Reminders.AdoNet, invariant "Npgsql"). Uses OrleansQuery from version 1.
--
-- When the reminder service starts, the provider loads all of OrleansQuery and refuses to start unless the
-- seven keys below are present; after that it runs nothing but these texts. Their contract, fixed by the
-- provider:
--   * parameters it binds: @ServiceId (text), @GrainId (text), @ReminderName (text), @StartTime (a UTC
--     DateTime), @Period (whole milliseconds, int4 or int8 depending on its size), @GrainHash, @BeginHash,
--     @EndHash (int4) and @Version (int4, parsed from the ETag it was handed);
--   * columns it reads from a reminder row, by name: GrainId, ReminderName, StartTime, Period, Version;
--   * the upsert returns one row whose Version becomes the reminder's ETag;
--   * the single-row delete returns one row with one column: true when a row was removed, false when
--     nothing matched (no such reminder, or its Version is not the ETag the caller holds).
--
-- The hashes are the grain's unsigned 32-bit ring hash cast to a SIGNED 32-bit integer, and the provider
-- picks between the two range queries by comparing the signed values: ReadRangeRows1Key when
-- begin < end, ReadRangeRows2Key otherwise (the range wraps, or it is the whole ring when begin = end).
-- Storing the same signed value and comparing it as a plain integer therefore yields exactly the ring
-- range (begin, end]. Do not convert it to unsigned here, or the two sides would disagree about wrapping.
--
-- PostgreSqlSchemaInstaller applies this file once, under the schema lock, and records version 2.

-- One row per reminder of a grain in a service. StartTime is an instant (timestamptz: Npgsql writes the
-- provider's UTC DateTime as is and reads it back as UTC); Period is in milliseconds; Version starts at 0
-- and grows with every upsert.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Every silo reads its share of the ring by hash when it starts and on each refresh.
CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_hash ON OrleansRemindersTable (ServiceId, GrainHash);

-- Register or change a reminder: a new one gets version 0, an existing one takes the new schedule and the
-- next version (the last writer wins; the provider passes no version here). The version wraps to 0 before
-- it would leave the 32-bit range the provider parses it into.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime,
        Period = excluded.Period,
        GrainHash = excluded.GrainHash,
        Version = CASE WHEN r.Version >= 2147483647 THEN 0 ELSE r.Version + 1 END
    RETURNING r.Version AS Version;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- All reminders of one grain.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One reminder of one grain; no row when it does not exist.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A ring range that does not wrap (begin < end, signed): hashes after begin, up to and including end.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A ring range that wraps (begin >= end, signed): hashes after begin, or up to and including end. With
-- begin = end this is every reminder of the service.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Remove one reminder, only at the version the caller holds, and say whether a row went.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
    WITH removed AS
    (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
          AND Version = @Version
        RETURNING 1
    )
    SELECT count(*) > 0 AS Removed FROM removed;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Remove every reminder of the service (the provider uses this only to clear the table in tests).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
