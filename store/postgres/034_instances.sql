-- 34: the processes serving the database, with a heartbeat each (store/instances.h), and
-- which of them claimed an outbox row: a row whose claimer's heartbeat stopped is recovered
-- (queued again, or in doubt once attempted) by a live instance.
CREATE TABLE pheu_instances (
    id           TEXT PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
