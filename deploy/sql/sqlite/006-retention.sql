-- Webhooks.Orleans — SQLite schema, version 6: what the retention sweeper (Webhooks:Retention) finds its rows by.
--
-- The sweeper turns each retention period into the newest event accepted before it (by AcceptedAt), then removes,
-- in bounded batches and in event order, the finished deliveries of older events and the events no delivery still
-- waits for. A delivery's EventSeq is written once, when it is queued, and never changes.

-- The newest event accepted before a cutoff.
CREATE INDEX IF NOT EXISTS IX_WebhooksEvents_AcceptedAt ON WebhooksEvents (ServiceId, AcceptedAt);

-- The deliveries of the oldest events; and whether a pending or parked delivery still needs an event's payload.
CREATE INDEX IF NOT EXISTS IX_WebhooksDeliveries_EventSeq ON WebhooksDeliveries (ServiceId, EventSeq);

-- Event ids accepted before events were stored once (version 4) leave with the events' retention too.
CREATE INDEX IF NOT EXISTS IX_WebhooksAcceptedEvents_AcceptedAt ON WebhooksAcceptedEvents (ServiceId, AcceptedAt);

-- Since when a delivery is finished (succeeded, failed, skipped) or parked, in Unix milliseconds (8 bytes at most, where
-- the text form took 28): its retention counts from here. NULL while pending; rows written before this version have NULL
-- too, and their retention counts from their event's acceptance.
ALTER TABLE WebhooksDeliveries ADD COLUMN RetainedSince INTEGER NULL;
