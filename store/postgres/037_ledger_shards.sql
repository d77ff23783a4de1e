-- 37: the funnel ledger's counters in shards. Every new customer and every stage change added
-- to the same few counter rows (customers by stage, this quarter hour's moves and steps, the
-- standing, revenue by stage), and an added row stays locked until its transaction commits:
-- two instances' workers took turns on those rows, so a second worker added a sixth to the
-- pipeline (bench/RESULTS.md, 2a). Each transaction now adds to one of 8 shards, picked by
-- its transaction id, and the reports sum the shards (store/report_queries.cpp). SQLite,
-- with one writer at a time, keeps everything in shard 0.
ALTER TABLE funnel_steps ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE funnel_steps DROP CONSTRAINT funnel_steps_pkey, ADD PRIMARY KEY (bucket, from_stage, to_stage, shard);
ALTER TABLE funnel_moves ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE funnel_moves DROP CONSTRAINT funnel_moves_pkey, ADD PRIMARY KEY (bucket, from_stage, to_stage, shard);
ALTER TABLE funnel_standing ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE funnel_standing DROP CONSTRAINT funnel_standing_pkey, ADD PRIMARY KEY (stage, shard);
ALTER TABLE funnel_revenue ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE funnel_revenue DROP CONSTRAINT funnel_revenue_pkey, ADD PRIMARY KEY (bucket, stage, shard);
ALTER TABLE customer_stage_counts ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE customer_stage_counts DROP CONSTRAINT customer_stage_counts_pkey, ADD PRIMARY KEY (stage, shard);

-- The shard this transaction adds to: the same for all its rows, so it never waits on itself.
CREATE FUNCTION pheu_ledger_shard() RETURNS SMALLINT LANGUAGE sql VOLATILE AS $$
    SELECT (txid_current() % 8)::smallint
$$;

CREATE OR REPLACE FUNCTION pheu_count_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO funnel_moves (bucket, from_stage, to_stage, shard, count)
            VALUES (NEW.changed_at / 900000 * 900000, coalesce(NEW.from_stage, ''), NEW.to_stage, pheu_ledger_shard(), 1)
            ON CONFLICT (bucket, from_stage, to_stage, shard) DO UPDATE SET count = funnel_moves.count + excluded.count;
    ELSE
        INSERT INTO funnel_moves (bucket, from_stage, to_stage, shard, count)
            VALUES (OLD.changed_at / 900000 * 900000, coalesce(OLD.from_stage, ''), OLD.to_stage, pheu_ledger_shard(), -1)
            ON CONFLICT (bucket, from_stage, to_stage, shard) DO UPDATE SET count = funnel_moves.count + excluded.count;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pheu_relink_chains(written stage_history[], removed stage_history[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    WITH touched AS (
        SELECT customer_id FROM unnest(written) UNION SELECT customer_id FROM unnest(removed)
    ), after_rows AS (
        SELECT h.id, h.customer_id, h.changed_at, h.to_stage FROM stage_history h
        WHERE h.customer_id IN (SELECT customer_id FROM touched)
    ), before_rows AS (
        SELECT * FROM after_rows WHERE id NOT IN (SELECT id FROM unnest(written))
        UNION ALL SELECT id, customer_id, changed_at, to_stage FROM unnest(removed)
    ), steps AS (
        SELECT changed_at / 900000 * 900000 AS bucket,
               coalesce(lag(to_stage) OVER (PARTITION BY customer_id ORDER BY changed_at, id), '') AS from_stage,
               to_stage, 1 AS count
        FROM after_rows
        UNION ALL
        SELECT changed_at / 900000 * 900000,
               coalesce(lag(to_stage) OVER (PARTITION BY customer_id ORDER BY changed_at, id), ''),
               to_stage, -1
        FROM before_rows
    )
    INSERT INTO funnel_steps (bucket, from_stage, to_stage, shard, count)
        SELECT bucket, from_stage, to_stage, pheu_ledger_shard(), sum(count) FROM steps
        GROUP BY bucket, from_stage, to_stage HAVING sum(count) <> 0
        ON CONFLICT (bucket, from_stage, to_stage, shard) DO UPDATE SET count = funnel_steps.count + excluded.count;
END $$;

CREATE OR REPLACE FUNCTION pheu_steps_standing() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := NEW.count - (CASE WHEN TG_OP = 'UPDATE' THEN OLD.count ELSE 0 END);
BEGIN
    -- Summed first: a step from a stage to itself names one row twice, which one ON
    -- CONFLICT statement may not update twice.
    INSERT INTO funnel_standing (stage, shard, count)
        SELECT stage, pheu_ledger_shard(), sum(count)
        FROM (VALUES (NEW.to_stage, delta), (NEW.from_stage, -delta)) AS v (stage, count)
        GROUP BY stage
        ON CONFLICT (stage, shard) DO UPDATE SET count = funnel_standing.count + excluded.count;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pheu_order_revenue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.placed_at IS NOT NULL AND OLD.cancelled_at IS NULL AND OLD.revenue_stage IS NOT NULL THEN
        INSERT INTO funnel_revenue (bucket, stage, shard, amount)
            VALUES (OLD.placed_at / 900000 * 900000, OLD.revenue_stage, pheu_ledger_shard(), -OLD.total)
            ON CONFLICT (bucket, stage, shard) DO UPDATE SET amount = funnel_revenue.amount + excluded.amount;
    END IF;
    IF NEW.placed_at IS NOT NULL AND NEW.cancelled_at IS NULL AND NEW.revenue_stage IS NOT NULL THEN
        INSERT INTO funnel_revenue (bucket, stage, shard, amount)
            VALUES (NEW.placed_at / 900000 * 900000, NEW.revenue_stage, pheu_ledger_shard(), NEW.total)
            ON CONFLICT (bucket, stage, shard) DO UPDATE SET amount = funnel_revenue.amount + excluded.amount;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pheu_stage_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.merged_into IS NULL THEN
        INSERT INTO customer_stage_counts (stage, shard, count) VALUES (OLD.stage, pheu_ledger_shard(), -1)
            ON CONFLICT (stage, shard) DO UPDATE SET count = customer_stage_counts.count + excluded.count;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_stage_counts (stage, shard, count) VALUES (NEW.stage, pheu_ledger_shard(), 1)
            ON CONFLICT (stage, shard) DO UPDATE SET count = customer_stage_counts.count + excluded.count;
    END IF;
    RETURN NULL;
END $$;
