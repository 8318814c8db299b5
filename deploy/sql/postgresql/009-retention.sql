-- Webhooks.Orleans — PostgreSQL schema, version 9: what the retention sweeper (Webhooks:Retention) finds its rows by.
--
-- The sweeper turns each retention period into the newest event accepted before it (IX_WebhooksEvents_AcceptedAt,
-- version 8), then removes, in bounded batches and in event order, the finished deliveries of older events and the
-- events no delivery still waits for.
--
-- A delivery's EventSeq is written once, when it is queued, and never changes, so this index leaves the outcome's
-- update of the row a HOT update (version 6): only columns no index holds (Status, Record) change. Safe to run twice.
CREATE INDEX IF NOT EXISTS IX_WebhooksDeliveries_EventSeq ON WebhooksDeliveries (ServiceId, EventSeq);

-- Event ids accepted before events were stored once (version 5) leave with the events' retention too.
CREATE INDEX IF NOT EXISTS IX_WebhooksAcceptedEvents_AcceptedAt ON WebhooksAcceptedEvents (ServiceId, AcceptedAt);

-- Since when a delivery is finished (succeeded, failed, skipped) or parked: its retention counts from here. NULL while
-- pending; rows written before this version have NULL too, and their retention counts from their event's acceptance.
-- No index holds it, so writing it keeps the outcome's update a HOT one.
ALTER TABLE WebhooksDeliveries ADD COLUMN IF NOT EXISTS RetainedSince timestamptz NULL;
