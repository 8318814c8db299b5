-- Webhooks.Orleans — PostgreSQL schema, version 7: the Data Protection key ring.
--
-- The keys that encrypt tenant private keys and listener signing secrets at rest, one XML element per row, as
-- ASP.NET Core Data Protection stores them (encrypted with the operator's certificate when one is configured).
-- Keyed by the service id like the other tables, so two services sharing a database keep separate rings. Rows
-- are only ever added; Seq keeps the order they were written in. Safe to run twice.
CREATE TABLE IF NOT EXISTS WebhooksDataProtectionKeys
(
    ServiceId    text        NOT NULL,
    Seq          bigint      GENERATED ALWAYS AS IDENTITY,
    FriendlyName text        NOT NULL,
    Xml          text        NOT NULL,
    CreatedAt    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ServiceId, Seq)
);
