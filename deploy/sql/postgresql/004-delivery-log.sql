-- Webhooks.Orleans — PostgreSQL schema, version 4: the delivery log.
--
-- One row per delivery of one event to one listener: a write touches only the deliveries it changed, so
-- the cost of accepting an event does not grow with the listener's backlog. Seq orders a listener's log;
-- Record is the delivery (event, status, schedule, attempts) as JSON. Safe to run twice.
CREATE TABLE IF NOT EXISTS WebhooksDeliveries
(
    ServiceId  text     NOT NULL,
    ListenerId text     NOT NULL,
    Seq        bigint   NOT NULL,
    Status     smallint NOT NULL,
    Record     bytea    NOT NULL,
    PRIMARY KEY (ServiceId, ListenerId, Seq)
);
