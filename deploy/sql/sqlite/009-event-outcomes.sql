-- Webhooks.Orleans — SQLite schema, version 9: a publish's outcome in a table of its own.
--
-- A publish inserts its event row, waits for every matching listener to store its delivery, and only then records the
-- outcome (the count answered to the publisher, the listeners that queued the event). Recorded in the event's own row,
-- that outcome made a row written a moment before grow by the listeners' ids, which split the newest pages of
-- WebhooksEvents at nearly every commit: about six pages per commit for two events. Here each outcome is a short row
-- appended in the events' order.
--
-- Events whose outcome was recorded before this version keep it in WebhooksEvents (Matched, Listeners); readers take
-- this table's first. An outcome leaves with its event, whoever removes the event (retention, a tenant's deletion).
CREATE TABLE IF NOT EXISTS WebhooksEventOutcomes
(
    Seq       INTEGER PRIMARY KEY, -- WebhooksEvents.Seq
    Matched   INTEGER NOT NULL,
    Listeners TEXT    NOT NULL     -- the ids of the listeners that queued the event, comma-separated
);

CREATE TRIGGER IF NOT EXISTS TR_WebhooksEvents_RemoveOutcome AFTER DELETE ON WebhooksEvents
BEGIN
    DELETE FROM WebhooksEventOutcomes WHERE Seq = old.Seq;
END;
