-- Webhooks.Orleans — PostgreSQL schema, version 1: grain state for Orleans' ADO.NET persistence provider
-- (Microsoft.Orleans.Persistence.AdoNet, invariant "Npgsql").
--
-- The provider reaches the database only through the named statements kept in OrleansQuery, and it fixes
-- their contract:
--   * parameters it binds (Npgsql turns each @Name into a typed placeholder): @ServiceId (text),
--     @GrainTypeHash and @GrainIdHash (int4), @GrainTypeString (text), @GrainIdN0 and @GrainIdN1 (int8),
--     @GrainIdExtensionString (text, NULL for keys without one), @GrainStateVersion (int4, NULL when the
--     grain has never seen a stored version) and @PayloadBinary (bytea);
--   * columns it reads back: PayloadBinary and Version from a read (by name); NewGrainStateVersion from a
--     write; the first column of a clear or delete. No row, or the version the grain already held, means
--     "someone else wrote first": the provider raises InconsistentStateException.
-- Everything else here (column types, index, how the statements are phrased) is ours.
--
-- Identifiers are unquoted, so PostgreSQL folds them to lower case; Npgsql looks result columns up by name
-- case-insensitively, so the provider's names still match.
--
-- PostgreSqlSchemaInstaller applies this file once, in one transaction, while it holds the schema lock, and
-- records version 1 in WebhooksSchemaVersion. Every statement is also safe to run twice.

-- The statement catalogue shared by all three providers (grain state, reminders, membership).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- One row per grain state. A grain is named by its type and id strings; the provider's two hashes lead the
-- unique index so a lookup touches one narrow range. A missing id extension is stored as '' rather than
-- NULL, so the unique index really admits only one row per grain.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              text        NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainIdExtensionString text        NOT NULL DEFAULT '',
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString);

-- Write with optimistic concurrency, as one statement.
--   * The grain holds a version: the row is updated only while it still carries that version. A second
--     writer holding the same version waits for the first one's row lock, then finds the version moved on
--     and updates nothing.
--   * The grain holds no version: a first row is inserted with version 1. If another writer inserted it
--     first, the unique index turns the insert into nothing (ON CONFLICT DO NOTHING).
-- Exactly one branch can apply; success returns the new version, a conflict returns no row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
    WITH updated AS
    (
        UPDATE OrleansStorage
        SET PayloadBinary = @PayloadBinary,
            ModifiedOn = now(),
            Version = Version + 1
        WHERE @GrainStateVersion IS NOT NULL
          AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
          AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
          AND Version = @GrainStateVersion
        RETURNING Version
    ),
    inserted AS
    (
        INSERT INTO OrleansStorage (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1,
                                    GrainIdExtensionString, PayloadBinary, ModifiedOn, Version)
        SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
               COALESCE(@GrainIdExtensionString, ''''), @PayloadBinary, now(), 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT Version AS NewGrainStateVersion FROM updated
    UNION ALL
    SELECT Version FROM inserted;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clearing keeps the row (payload gone) and moves the version on, so a writer still holding the old
-- version conflicts afterwards.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        ModifiedOn = now(),
        Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used instead of ClearStorageKey when the provider is configured to delete state on clear. The reported
-- version is one past the deleted row's, so that it differs from the one the grain held.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
      AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
