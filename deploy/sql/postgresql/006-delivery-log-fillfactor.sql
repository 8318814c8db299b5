-- Webhooks.Orleans — PostgreSQL schema, version 6: room in the delivery log's pages for each row's next version.
--
-- A delivery's row is written when it is queued and again with each attempt's outcome. With full pages every
-- such update put the new version on another page, added an index entry and left a dead tuple behind, which
-- index scans then walked past until a vacuum; at half fill the new version fits beside the old one (a HOT
-- update: no new index entry, and the old version is pruned in place). Applies to pages written from now on.
-- Safe to run twice.
ALTER TABLE WebhooksDeliveries SET (fillfactor = 50);
