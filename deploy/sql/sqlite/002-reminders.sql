-- Webhooks.Orleans — SQLite schema, version 2: durable reminders for Orleans' ADO.NET reminder table
-- (Microsoft.Orleans.Reminders.AdoNet), kept in the same file as the grain state.
--
-- When the silo starts its reminder service, the provider loads every row of OrleansQuery (created by
-- version 1) and refuses to start unless all seven keys below are present; after that it uses nothing but
-- these texts. The provider fixes their contract:
--   * parameters it binds: @ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash,
--     @BeginHash, @EndHash, @Version;
--   * columns it reads from a reminder row: GrainId, ReminderName, StartTime, Period, Version;
--   * the upsert returns one row with the new Version, which becomes the reminder's ETag (the provider
--     turns it into a string and later hands it back, parsed as a 32-bit int, as @Version);
--   * the single-row delete returns one row with one column, non-zero when a row was removed, zero when
--     nothing matched (no such reminder, or its Version is not the ETag the caller holds).
--
-- How Microsoft.Data.Sqlite hands the values over, and what that means for the columns:
--   * @StartTime is a UTC DateTime, which the driver writes as text without a zone, for example
--     '2030-01-31 08:15:00.1234567' (trailing zeros of the fraction dropped). It is stored exactly as bound:
--     the provider reads it back with GetDateTime and marks it UTC. A zone suffix would make the driver
--     convert it to local time on the way back.
--   * @Period is whole milliseconds (a 32-bit or 64-bit integer, depending on its size).
--   * @GrainHash, @BeginHash and @EndHash are the grain's unsigned 32-bit ring hash cast to a SIGNED 32-bit
--     integer, and the provider chooses between the two range queries by comparing the signed values:
--     ReadRangeRows1Key when begin < end, ReadRangeRows2Key otherwise (the range wraps, or it is the whole
--     ring when begin = end). Storing the same signed value and comparing it as a plain integer therefore
--     gives exactly the ring range (begin, end]: begin excluded, end included. Do not convert it to
--     unsigned here, or the two sides would disagree about which range wraps.
--
-- The server applies this file once, to a database whose user_version is below 2, inside one transaction,
-- and then sets user_version to 2; see SqliteSchemaInstaller.

-- One row per reminder of a grain in a service. Period is in milliseconds; GrainHash is the signed form
-- of the grain's ring hash (see above); Version starts at 0 and grows with every upsert.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL,
    GrainHash    INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Every silo reads its share of the ring by hash at start-up and on each refresh.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_Hash ON OrleansRemindersTable (ServiceId, GrainHash);

-- Register or change a reminder: a new one gets version 0, an existing one takes the new schedule and the
-- next version. The provider does not pass the version it holds; the last writer wins. The version wraps
-- back to 0 before it would leave the 32-bit range the provider parses it into.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime,
        Period = excluded.Period,
        GrainHash = excluded.GrainHash,
        Version = CASE WHEN Version >= 2147483647 THEN 0 ELSE Version + 1 END
    RETURNING Version;
');

-- All reminders of one grain.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
');

-- One reminder of one grain; no row when it does not exist.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
');

-- A ring range that does not wrap (begin < end, signed): hashes after begin, up to and including end.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
');

-- A ring range that wraps (begin >= end, signed): hashes after begin, or up to and including end. With
-- begin = end this is every reminder of the service.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
');

-- Remove one reminder, only at the version the caller holds. SQLite cannot select from a DELETE, so the
-- second statement reports how many rows the first one removed: 1 (removed) or 0 (not found, or stale ETag).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
      AND Version = @Version;

    SELECT changes() > 0 AS Removed;
');

-- Remove every reminder of the service (the provider uses this only to clear the table in tests).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId;
');
