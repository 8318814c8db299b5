-- Webhooks.Orleans — PostgreSQL schema, version 8: each accepted event stored once.
--
-- One row per (service, tenant, event id): what publishing the same id twice is answered from, what every
-- delivery of the event reads its payload from, and the tenant's events feed (GET api/v1/events).
--
-- A publish inserts the row first, with Matched NULL; hands the event to every matching listener, each of which
-- stores its own delivery row (no payload: it refers to Seq here); and only then sets Matched and Listeners. So a
-- publish that failed midway (no 202) left Matched NULL and is repeated safely, through the router again (listeners
-- ignore an event id they already queued); one that completed is answered from Matched.
--
-- The feed's order is (Xid, Seq): Xid is the inserting transaction's id. Seq alone cannot be the order: a sequence
-- value is taken before its transaction commits, so a transaction holding Seq 10 may commit after Seq 11 is visible,
-- and a reader that had moved past 11 would never see 10. The feed serves only rows whose Xid is below the oldest
-- transaction still running (pg_snapshot_xmin of the reader's snapshot): every transaction below it has ended, so
-- no row can appear later below that point, and a feed continuing after an (Xid, Seq) never skips one.
--
-- Events accepted before this version are only in WebhooksAcceptedEvents (version 5), which a publish still
-- consults, so their ids keep de-duplicating. Safe to run twice.
CREATE TABLE IF NOT EXISTS WebhooksEvents
(
    Seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ServiceId  text        NOT NULL,
    TenantId   text        NOT NULL,
    EventId    text        NOT NULL,
    EventCode  text        NOT NULL,
    ResourceId text        NULL,
    EventDate  timestamptz NOT NULL,
    AcceptedAt timestamptz NOT NULL,
    -- The count answered to the publisher, and the ids of the listeners that queued the event (comma-separated);
    -- both NULL until the publish completes.
    Matched    integer     NULL,
    Listeners  text        NULL,
    Xid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    Payload    text        NULL,
    UNIQUE (ServiceId, TenantId, EventId)
);

-- The feed: a tenant's events in (Xid, Seq) order.
CREATE INDEX IF NOT EXISTS IX_WebhooksEvents_Feed ON WebhooksEvents (ServiceId, TenantId, Xid, Seq);

-- Retention sweeps the oldest first.
CREATE INDEX IF NOT EXISTS IX_WebhooksEvents_AcceptedAt ON WebhooksEvents (ServiceId, AcceptedAt);

-- A delivery row now refers to its event (WebhooksEvents.Seq) and carries no payload. Rows written before this
-- version have NULL here and keep their payload in Record, so they are delivered as before.
ALTER TABLE WebhooksDeliveries ADD COLUMN IF NOT EXISTS EventSeq bigint NULL;
