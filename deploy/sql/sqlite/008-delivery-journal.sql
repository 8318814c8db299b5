-- Webhooks.Orleans — SQLite schema, version 8: the delivery log's journal.
--
-- What is written to disk is pages, not rows. WebhooksDeliveries keeps each listener's deliveries together (its key
-- starts with the listener), so a commit that queues or finishes deliveries for ten listeners rewrote at least a page
-- of each, and of the event index beside it: about eighteen 4 KiB pages for some twenty deliveries. Now each change of
-- a listener's log is appended here instead, in the order it was made: a commit writes the journal's last page or two,
-- whatever the number of listeners. The journal is folded into WebhooksDeliveries in large batches (one write of a
-- listener's page then carries many of its deliveries), and always before WebhooksDeliveries is read or swept, so
-- every reader still sees one table.
--
-- A row is either an upsert of one delivery (Status not NULL: the columns of WebhooksDeliveries) or the removal of a
-- listener's deliveries Seq to SeqTo (Status NULL). Folding replays the rows in Id order, so the last change of a
-- delivery wins and a removal undoes the upserts before it. A crash leaves committed rows here; the next fold
-- applies them.
CREATE TABLE IF NOT EXISTS WebhooksDeliveryJournal
(
    Id            INTEGER PRIMARY KEY, -- the order of the changes; appended, so a commit writes the last pages only
    ServiceId     TEXT    NOT NULL,
    ListenerId    TEXT    NOT NULL,
    Seq           INTEGER NOT NULL,
    SeqTo         INTEGER NULL,
    Status        INTEGER NULL,
    Record        BLOB    NULL,
    EventSeq      INTEGER NULL,
    RetainedSince INTEGER NULL
);
