-- Webhooks.Orleans — SQLite schema, version 4: the events accepted so far, for de-duplicating publishes.
--
-- A publish that names an event id already here is answered from the row and delivers nothing again. The
-- row is written after every matching listener has the event on storage, so a publish that failed midway
-- left no row and is repeated safely (listeners ignore an event id they already queued). Written through
-- the server's one writer (SqliteWriter).
CREATE TABLE IF NOT EXISTS WebhooksAcceptedEvents
(
    ServiceId  TEXT    NOT NULL,
    TenantId   TEXT    NOT NULL,
    EventId    TEXT    NOT NULL,
    Matched    INTEGER NOT NULL,
    AcceptedAt TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, TenantId, EventId)
) WITHOUT ROWID;
