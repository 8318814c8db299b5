-- Webhooks.Orleans — SQLite schema, version 5: each accepted event stored once.
--
-- One row per (service, tenant, event id): what publishing the same id twice is answered from, what every
-- delivery of the event reads its payload from, and the tenant's events feed (GET api/v1/events).
--
-- A publish inserts the row first, with Matched NULL; hands the event to every matching listener, each of which
-- stores its own delivery row (no payload: it refers to Seq here); and only then sets Matched and Listeners. So a
-- publish that failed midway (no 202) left Matched NULL and is repeated safely, through the router again (listeners
-- ignore an event id they already queued); one that completed is answered from Matched.
--
-- Seq is the store's sequence and the feed's order. The server's one writer (SqliteWriter) commits one transaction
-- at a time, and every Seq a transaction takes is above every Seq committed before it (AUTOINCREMENT: never reused,
-- even after the newest rows are deleted), so once a reader sees a Seq, every smaller one it will ever see is
-- already committed: a feed that continues after a Seq never skips a row.
--
-- Retention sweeps oldest first in Seq order (the rowid, so no index is needed): rows are appended in the order
-- they were accepted. Events accepted before this version are only in WebhooksAcceptedEvents (version 4), which a
-- publish still consults, so their ids keep de-duplicating.
CREATE TABLE IF NOT EXISTS WebhooksEvents
(
    Seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    ServiceId  TEXT    NOT NULL,
    TenantId   TEXT    NOT NULL,
    EventId    TEXT    NOT NULL,
    EventCode  TEXT    NOT NULL,
    ResourceId TEXT    NULL,
    EventDate  TEXT    NOT NULL,
    AcceptedAt TEXT    NOT NULL,
    -- The count answered to the publisher, and the ids of the listeners that queued the event (comma-separated);
    -- both NULL until the publish completes.
    Matched    INTEGER NULL,
    Listeners  TEXT    NULL,
    -- Last, so that reading the columns before it never reads a large payload's overflow pages.
    Payload    TEXT    NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS UX_WebhooksEvents_EventId ON WebhooksEvents (ServiceId, TenantId, EventId);

-- The feed: a tenant's events in Seq order.
CREATE INDEX IF NOT EXISTS IX_WebhooksEvents_Feed ON WebhooksEvents (ServiceId, TenantId, Seq);

-- A delivery row now refers to its event (WebhooksEvents.Seq) and carries no payload. Rows written before this
-- version have NULL here and keep their payload in Record, so they are delivered as before.
ALTER TABLE WebhooksDeliveries ADD COLUMN EventSeq INTEGER NULL;
