-- Webhooks.Orleans — SQLite schema, version 7: the dispatcher's own wake-up list, in place of Orleans reminders.
--
-- A grain with work that must resume after a restart (a listener with pending deliveries, a tenant being deleted) has
-- a row here from before it answers until a wake-up finds it with nothing left to do. Every silo reads the list when
-- it starts, when another silo leaves, and every Webhooks:Delivery:WakeInterval, and wakes the grains of its share of
-- the ring. So the dispatcher needs no reminder service, and leaves a host's own alone. The list is small: one row
-- per grain with work outstanding, never one per delivery.
CREATE TABLE IF NOT EXISTS WebhooksWakeUps
(
    ServiceId TEXT    NOT NULL,
    GrainId   TEXT    NOT NULL,
    Since     INTEGER NOT NULL, -- Unix milliseconds: when the row was written, for operators
    PRIMARY KEY (ServiceId, GrainId)
) WITHOUT ROWID;

-- The wake-up reminders of earlier versions become rows of the list; the reminder service is gone with them.
INSERT OR IGNORE INTO WebhooksWakeUps (ServiceId, GrainId, Since)
    SELECT ServiceId, GrainId, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM OrleansRemindersTable
    WHERE ReminderName IN ('deliveries', 'deletion');
DELETE FROM OrleansRemindersTable WHERE ReminderName IN ('deliveries', 'deletion');
