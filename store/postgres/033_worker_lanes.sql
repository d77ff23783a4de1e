-- 33: the lane each event is decided in (bot/customers/person_lane.h). An instance's worker
-- batch locks the lanes of the events it decides (FOR UPDATE SKIP LOCKED on worker_lanes,
-- store/inbox_store.cpp), so several instances decide side by side and each person's events
-- one after another. As many rows as store::k_worker_lanes.
ALTER TABLE inbox_events ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
CREATE TABLE worker_lanes (lane INTEGER PRIMARY KEY);
INSERT INTO worker_lanes (lane) SELECT generate_series(0, 63);
CREATE INDEX inbox_pending_by_lane ON inbox_events (lane, seq) WHERE state = 'pending';
