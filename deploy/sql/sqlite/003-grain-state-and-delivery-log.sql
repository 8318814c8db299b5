-- Webhooks.Orleans — SQLite schema, version 3: grain state and delivery log written by the server's own
-- single writer (SqliteWriter), which commits the writes of many grains in one transaction.
--
-- Version 1's OrleansStorage table served Orleans' ADO.NET provider, which opens a connection per write;
-- on one SQLite file those writers queued on the file lock. It is left in place, unused.

-- One row per grain state. GrainId is Orleans' own string form of the id ("webhook/wh_…"), StateName the
-- name the grain gives the state; Version increases by one on every write (optimistic concurrency).
CREATE TABLE IF NOT EXISTS WebhooksGrainState
(
    ServiceId  TEXT    NOT NULL,
    GrainId    TEXT    NOT NULL,
    StateName  TEXT    NOT NULL,
    Payload    BLOB    NOT NULL,
    Version    INTEGER NOT NULL,
    ModifiedOn TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, StateName)
) WITHOUT ROWID;

-- One row per delivery of one event to one listener: a write touches only the deliveries it changed, so
-- the cost of accepting an event does not grow with the listener's backlog. Seq orders a listener's log;
-- Record is the delivery (event, status, schedule, attempts) as JSON.
CREATE TABLE IF NOT EXISTS WebhooksDeliveries
(
    ServiceId  TEXT    NOT NULL,
    ListenerId TEXT    NOT NULL,
    Seq        INTEGER NOT NULL,
    Status     INTEGER NOT NULL,
    Record     BLOB    NOT NULL,
    PRIMARY KEY (ServiceId, ListenerId, Seq)
) WITHOUT ROWID;
