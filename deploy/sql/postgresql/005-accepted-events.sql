-- Webhooks.Orleans — PostgreSQL schema, version 5: the events accepted so far, for de-duplicating publishes.
--
-- A publish that names an event id already here is answered from the row and delivers nothing again. The
-- row is written after every matching listener has the event on storage, so a publish that failed midway
-- left no row and is repeated safely (listeners ignore an event id they already queued). Safe to run twice.
CREATE TABLE IF NOT EXISTS WebhooksAcceptedEvents
(
    ServiceId  text        NOT NULL,
    TenantId   text        NOT NULL,
    EventId    text        NOT NULL,
    Matched    integer     NOT NULL,
    AcceptedAt timestamptz NOT NULL,
    PRIMARY KEY (ServiceId, TenantId, EventId)
);
