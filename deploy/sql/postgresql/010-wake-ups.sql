-- Webhooks.Orleans — PostgreSQL schema, version 10: the dispatcher's own wake-up list, in place of Orleans reminders.
--
-- A grain with work that must resume after a restart (a listener with pending deliveries, a tenant being deleted) has
-- a row here from before it answers until a wake-up finds it with nothing left to do. Every silo reads the list when
-- it starts, when another silo leaves, and every Webhooks:Delivery:WakeInterval, and wakes the grains of its share of
-- the ring. So the dispatcher needs no reminder service, and leaves a host's own alone. The list is small: one row
-- per grain with work outstanding, never one per delivery. Safe to run twice.
CREATE TABLE IF NOT EXISTS WebhooksWakeUps
(
    ServiceId text        NOT NULL,
    GrainId   text        NOT NULL,
    Since     timestamptz NOT NULL DEFAULT now(), -- when the row was written, for operators
    PRIMARY KEY (ServiceId, GrainId)
);

-- The wake-up reminders of earlier versions become rows of the list; the reminder service is gone with them.
INSERT INTO WebhooksWakeUps (ServiceId, GrainId)
    SELECT ServiceId, GrainId FROM OrleansRemindersTable WHERE ReminderName IN ('deliveries', 'deletion')
    ON CONFLICT DO NOTHING;
DELETE FROM OrleansRemindersTable WHERE ReminderName IN ('deliveries', 'deletion');
