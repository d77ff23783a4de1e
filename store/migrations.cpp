#include "store/migrations.h"

#include "store/funnel_ledger_schema.h"
#include "store/postgres_migrations.h"
#include "store/sql/sqlite_connection.h"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

namespace pheu::store {

namespace {

// Index i holds migration number i + 1.
// Built at start-up: migration 18 is composed from parts (store/funnel_ledger_schema.cpp).
const std::array k_migrations = {
    // 1: the durable inbox. Every accepted event is a row before its HTTP answer.
    R"sql(
CREATE TABLE inbox_events (
    seq          INTEGER PRIMARY KEY,
    dedupe_key   TEXT    NOT NULL UNIQUE,
    source       TEXT    NOT NULL,
    account_id   TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'processed', 'failed', 'rejected')),
    event        TEXT    NOT NULL,
    raw          TEXT    NOT NULL,
    customer_id  INTEGER,
    error        TEXT,
    processed_at INTEGER
) STRICT;
-- The worker's queue: only pending rows are in this index, so it stays small.
CREATE INDEX inbox_pending ON inbox_events (seq) WHERE state = 'pending';
CREATE INDEX inbox_by_customer ON inbox_events (customer_id, occurred_at) WHERE customer_id IS NOT NULL;
)sql",
    // 2: customers and the identities they are known by on each channel.
    R"sql(
CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    created_at          INTEGER NOT NULL,
    first_seen_at       INTEGER,
    first_source        TEXT,
    last_interaction_at INTEGER,
    name                TEXT
) STRICT;
CREATE TABLE customer_identities (
    channel     TEXT    NOT NULL CHECK (channel IN ('zalo', 'zalo_app', 'messenger', 'phone', 'external', 'zalo_anonymous')),
    external_id TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, external_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_identities_by_customer ON customer_identities (customer_id);
)sql",
    // 3: profile facts, orders, stages and their history, merges, outbound work, settings.
    R"sql(
ALTER TABLE customers ADD COLUMN stage TEXT NOT NULL DEFAULT 'new_lead'
    CHECK (stage IN ('new_lead', 'new_customer', 'frequent_buyer', 'dormant'));
ALTER TABLE customers ADD COLUMN stage_changed_at INTEGER;
ALTER TABLE customers ADD COLUMN next_stage_check_at INTEGER;
ALTER TABLE customers ADD COLUMN is_follower INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN phone TEXT;
ALTER TABLE customers ADD COLUMN birthday TEXT;
ALTER TABLE customers ADD COLUMN gender TEXT;
ALTER TABLE customers ADD COLUMN address TEXT;
ALTER TABLE customers ADD COLUMN interaction_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN cart TEXT;
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);
-- The scheduler's queue: customers whose stage changes by time alone, by due moment.
CREATE INDEX customers_due ON customers (next_stage_check_at) WHERE next_stage_check_at IS NOT NULL;
CREATE INDEX customers_by_stage ON customers (stage, id) WHERE merged_into IS NULL;
ALTER TABLE customer_identities ADD COLUMN account_id TEXT NOT NULL DEFAULT '';

CREATE TABLE orders (
    order_id     TEXT    PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    placed_at    INTEGER,
    total        INTEGER NOT NULL DEFAULT 0,
    items        TEXT    NOT NULL DEFAULT '[]',
    voucher_code TEXT,
    cancelled_at INTEGER,
    recorded_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);

CREATE TABLE stage_history (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    from_stage  TEXT,
    to_stage    TEXT    NOT NULL,
    changed_at  INTEGER NOT NULL,
    reason      TEXT    NOT NULL
) STRICT;
CREATE INDEX stage_history_by_customer ON stage_history (customer_id, id);

CREATE TABLE customer_merges (
    id                 INTEGER PRIMARY KEY,
    kept_customer_id   INTEGER NOT NULL REFERENCES customers (id),
    merged_customer_id INTEGER NOT NULL REFERENCES customers (id),
    merged_at          INTEGER NOT NULL,
    reason             TEXT    NOT NULL
) STRICT;

CREATE TABLE product_views (
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    sku            TEXT    NOT NULL,
    view_count     INTEGER NOT NULL,
    last_viewed_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, sku)
) STRICT, WITHOUT ROWID;

CREATE TABLE game_plays (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    game_id     TEXT    NOT NULL,
    result      TEXT,
    prize       TEXT,
    played_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX game_plays_by_customer ON game_plays (customer_id);

-- Outbound work: messages (issue: templates) and Zalo tag intents, each first a row with an
-- idempotency key, then a send by the dispatcher.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('message', 'tag', 'untag')),
    channel         TEXT    NOT NULL,
    account_id      TEXT    NOT NULL DEFAULT '',
    recipient       TEXT    NOT NULL DEFAULT '',
    idempotency_key TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL CHECK (status IN ('sandboxed', 'queued', 'sent', 'failed', 'skipped')),
    reason          TEXT,
    trigger         TEXT    NOT NULL,
    template        TEXT,
    text            TEXT,
    payload         TEXT    NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_customer ON outbox (customer_id, id);
CREATE INDEX outbox_queued ON outbox (id) WHERE status = 'queued';

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
)sql",
    // 4: what the shopper sees: editable templates, playbook rules and journeys, vouchers,
    // the catalog with what sells together, and the send policy's columns.
    R"sql(
CREATE TABLE templates (
    id         TEXT    PRIMARY KEY,
    purpose    TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL,
    buttons    TEXT    NOT NULL DEFAULT '[]',
    image_url  TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE playbook (
    id         TEXT    PRIMARY KEY,
    definition TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE voucher_campaigns (
    id                 TEXT    PRIMARY KEY,
    description        TEXT    NOT NULL,
    code_pattern       TEXT,
    validity_days      INTEGER NOT NULL,
    per_customer_limit INTEGER NOT NULL DEFAULT 1,
    eligible_stages    TEXT    NOT NULL DEFAULT '[]',
    active             INTEGER NOT NULL DEFAULT 1,
    updated_at         INTEGER NOT NULL
) STRICT;
-- Imported codes wait with customer_id NULL; generated codes are born issued.
CREATE TABLE voucher_codes (
    code        TEXT    PRIMARY KEY,
    campaign_id TEXT    NOT NULL REFERENCES voucher_campaigns (id),
    customer_id INTEGER REFERENCES customers (id),
    valid_until INTEGER,
    issued_at   INTEGER,
    expires_at  INTEGER,
    redeemed_at INTEGER,
    order_id    TEXT
) STRICT;
CREATE INDEX voucher_codes_by_customer ON voucher_codes (customer_id, campaign_id) WHERE customer_id IS NOT NULL;
CREATE INDEX voucher_codes_free ON voucher_codes (campaign_id, code) WHERE customer_id IS NULL;

CREATE TABLE products (
    sku        TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    category   TEXT    NOT NULL DEFAULT '',
    price      INTEGER NOT NULL DEFAULT 0,
    url        TEXT    NOT NULL DEFAULT '',
    image_url  TEXT    NOT NULL DEFAULT '',
    in_stock   INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
) STRICT;
-- One row per sku per order, so "bought together" is an indexed join, not a JSON scan.
CREATE TABLE order_items (
    order_id TEXT    NOT NULL REFERENCES orders (order_id),
    sku      TEXT    NOT NULL,
    category TEXT    NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, sku)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_items_by_sku ON order_items (sku, order_id);
INSERT OR IGNORE INTO order_items (order_id, sku, category, quantity)
    SELECT o.order_id, item.value ->> 'sku', coalesce(item.value ->> 'category', ''),
           coalesce(item.value ->> 'quantity', 1)
    FROM orders AS o, json_each(o.items) AS item
    WHERE json_valid(o.items) AND item.value ->> 'sku' IS NOT NULL;

-- Timed follow-up per customer: the next step and when it is due (indexed for the scheduler).
CREATE TABLE journeys (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    journey      TEXT    NOT NULL,
    anchor_at    INTEGER NOT NULL,
    next_step    INTEGER NOT NULL DEFAULT 0,
    next_due_at  INTEGER,
    state        TEXT    NOT NULL CHECK (state IN ('active', 'ended', 'finished')),
    ended_reason TEXT,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, journey)
) STRICT, WITHOUT ROWID;
CREATE INDEX journeys_due ON journeys (next_due_at) WHERE state = 'active';

ALTER TABLE outbox ADD COLUMN not_before INTEGER;
ALTER TABLE outbox ADD COLUMN counts_toward_cap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN promotional INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_deferred ON outbox (not_before) WHERE status = 'queued' AND kind = 'message';

ALTER TABLE customers ADD COLUMN unfollowed_at INTEGER;
ALTER TABLE customers ADD COLUMN opted_out_at INTEGER;
ALTER TABLE customers ADD COLUMN silenced_until INTEGER;
ALTER TABLE customer_identities ADD COLUMN last_interaction_at INTEGER;
)sql",
    // 5: delivery. The outbox learns what a send did (attempts, the platform's id and code,
    // delivered and seen times) and the claim that makes a send happen at most once; follower
    // profile fetches become outbound work too. SQLite cannot change a CHECK in place, so the
    // table is rebuilt. Zalo's rotating token pairs are kept per OA.
    R"sql(
CREATE TABLE outbox_next (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('message', 'tag', 'untag', 'profile')),
    channel             TEXT    NOT NULL,
    account_id          TEXT    NOT NULL DEFAULT '',
    recipient           TEXT    NOT NULL DEFAULT '',
    idempotency_key     TEXT    NOT NULL UNIQUE,
    status              TEXT    NOT NULL CHECK (status IN ('sandboxed', 'queued', 'sent', 'failed', 'skipped')),
    reason              TEXT,
    trigger             TEXT    NOT NULL,
    template            TEXT,
    text                TEXT,
    payload             TEXT    NOT NULL DEFAULT '{}',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    not_before          INTEGER,
    counts_toward_cap   INTEGER NOT NULL DEFAULT 0,
    promotional         INTEGER NOT NULL DEFAULT 0,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    -- Set (durably) just before a platform call, cleared with its result: a row still
    -- claimed after a crash may have been sent, and a message is never sent twice.
    sending_since       INTEGER,
    -- The outcome of a call is unknown (a crash or a timeout after the request went out):
    -- the platform's echo settles it, else it ends failed once the grace period is over.
    in_doubt_since      INTEGER,
    platform_message_id TEXT,
    platform_code       TEXT,
    via                 TEXT,
    sent_at             INTEGER,
    delivered_at        INTEGER,
    seen_at             INTEGER,
    echoed_at           INTEGER
) STRICT;
INSERT INTO outbox_next (id, customer_id, kind, channel, account_id, recipient, idempotency_key, status, reason,
                         trigger, template, text, payload, created_at, updated_at, not_before, counts_toward_cap,
                         promotional)
    SELECT id, customer_id, kind, channel, account_id, recipient, idempotency_key, status, reason, trigger, template,
           text, payload, created_at, updated_at, not_before, counts_toward_cap, promotional
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_by_customer ON outbox (customer_id, id);
CREATE INDEX outbox_queued ON outbox (id) WHERE status = 'queued';
CREATE INDEX outbox_deferred ON outbox (not_before) WHERE status = 'queued' AND kind = 'message';
CREATE INDEX outbox_by_platform_id ON outbox (platform_message_id) WHERE platform_message_id IS NOT NULL;
CREATE INDEX outbox_in_doubt ON outbox (recipient) WHERE in_doubt_since IS NOT NULL;
CREATE INDEX outbox_sent_to ON outbox (recipient, sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE channel_tokens (
    channel       TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    access_token  TEXT    NOT NULL,
    refresh_token TEXT    NOT NULL,
    -- When to refresh before expiry; NULL when the token's age is unknown.
    refresh_due_at INTEGER,
    -- SHA-256 of the configured refresh token this row started from: a new pair in the
    -- configuration (the shop authorised again) replaces the stored one.
    seeded_from   TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (channel, account_id)
) STRICT, WITHOUT ROWID;

ALTER TABLE customers ADD COLUMN avatar_url TEXT;
)sql",
    // 6: the shop's console. Every admin change is written to the audit log; every saved
    // template body is kept by version, so an edit can be rolled back.
    R"sql(
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE template_versions (
    template_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    purpose     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    buttons     TEXT    NOT NULL,
    image_url   TEXT,
    saved_at    INTEGER NOT NULL,
    PRIMARY KEY (template_id, version)
) STRICT, WITHOUT ROWID;
INSERT INTO template_versions (template_id, version, purpose, body, buttons, image_url, saved_at)
    SELECT id, version, purpose, body, buttons, image_url, updated_at FROM templates;
CREATE INDEX stage_history_by_time ON stage_history (changed_at);
CREATE INDEX orders_by_time ON orders (placed_at);
)sql",
    // 7: the Zalo Mini App: when a shopper agreed to share their phone.
    R"sql(
ALTER TABLE customers ADD COLUMN phone_consent_at INTEGER;
)sql",
    // 8: the funnel report replays only its period's stage changes: an index that covers
    // them, read in time order without a lookup per row, and the few merged customers.
    R"sql(
DROP INDEX stage_history_by_time;
CREATE INDEX stage_history_by_time ON stage_history (changed_at, id, customer_id, from_stage, to_stage);
CREATE INDEX customers_merged ON customers (id) WHERE merged_into IS NOT NULL;
)sql",
    // 9: SQLite (3.40) checks `x IN (three or more values)` by building a temporary b-tree
    // for every row written: about a third of what the inbox writer spends on an event. The
    // same constraints as `=` joined by OR allow exactly the same values and cost a few
    // comparisons. The CREATE text is rewritten in place, as SQLite documents for changes
    // that leave the stored rows as they are. RESET makes this connection parse the new
    // text; apply_migrations then bumps the schema cookie so that every other connection
    // does too.
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''pending'', ''processed'', ''failed'', ''rejected''))',
                                 'CHECK (state = ''pending'' OR state = ''processed'' OR state = ''failed'' OR state = ''rejected'')')
    WHERE type = 'table' AND name = 'inbox_events';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (stage IN (''new_lead'', ''new_customer'', ''frequent_buyer'', ''dormant''))',
                                 'CHECK (stage = ''new_lead'' OR stage = ''new_customer'' OR stage = ''frequent_buyer'' OR stage = ''dormant'')')
    WHERE type = 'table' AND name = 'customers';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (channel IN (''zalo'', ''zalo_app'', ''messenger'', ''phone'', ''external'', ''zalo_anonymous''))',
                                 'CHECK (channel = ''zalo'' OR channel = ''zalo_app'' OR channel = ''messenger'' OR channel = ''phone'' OR channel = ''external'' OR channel = ''zalo_anonymous'')')
    WHERE type = 'table' AND name = 'customer_identities';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''active'', ''ended'', ''finished''))',
                                 'CHECK (state = ''active'' OR state = ''ended'' OR state = ''finished'')')
    WHERE type = 'table' AND name = 'journeys';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''message'', ''tag'', ''untag'', ''profile''))',
                                 'CHECK (kind = ''message'' OR kind = ''tag'' OR kind = ''untag'' OR kind = ''profile'')')
    WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''sandboxed'', ''queued'', ''sent'', ''failed'', ''skipped''))',
                                 'CHECK (status = ''sandboxed'' OR status = ''queued'' OR status = ''sent'' OR status = ''failed'' OR status = ''skipped'')')
    WHERE type = 'table' AND name = 'outbox';
PRAGMA writable_schema = RESET;
)sql",
    // 10: the inbox becomes an append-only log. Its unique index on dedupe_key cost every
    // acknowledgement a random index page in its commit; the keys of settled rows move to
    // their own table, written by the worker (store/unsettled_keys.h has the whole scheme).
    // Rows may now also end as 'duplicate': a copy the worker found already settled.
    R"sql(
CREATE TABLE inbox_events_next (
    seq          INTEGER PRIMARY KEY,
    dedupe_key   TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    account_id   TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state = 'pending' OR state = 'processed' OR state = 'failed' OR state = 'rejected' OR state = 'duplicate'),
    event        TEXT    NOT NULL,
    raw          TEXT    NOT NULL,
    customer_id  INTEGER,
    error        TEXT,
    processed_at INTEGER
) STRICT;
INSERT INTO inbox_events_next (seq, dedupe_key, source, account_id, kind, occurred_at, received_at, state, event, raw,
                               customer_id, error, processed_at)
    SELECT seq, dedupe_key, source, account_id, kind, occurred_at, received_at, state, event, raw,
           customer_id, error, processed_at FROM inbox_events;
DROP TABLE inbox_events;
ALTER TABLE inbox_events_next RENAME TO inbox_events;
CREATE INDEX inbox_pending ON inbox_events (seq) WHERE state = 'pending';
CREATE INDEX inbox_by_customer ON inbox_events (customer_id, occurred_at) WHERE customer_id IS NOT NULL;
-- The key of every row that left 'pending', with the row it belongs to.
CREATE TABLE inbox_settled_keys (
    dedupe_key TEXT    PRIMARY KEY,
    seq        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO inbox_settled_keys (dedupe_key, seq) SELECT dedupe_key, seq FROM inbox_events WHERE state <> 'pending';
)sql",
    // 11: shoppers' answers to a survey a message asked (the winback's "1, 2 or 3"), counted
    // in the funnel report by the day they were given.
    R"sql(
CREATE TABLE survey_answers (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    survey      TEXT    NOT NULL,
    answer      INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, survey, answered_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX survey_answers_by_time ON survey_answers (answered_at);
)sql",
    // 12: customers' names folded (no diacritics, lower case), so a search for "Nguyen" finds
    // "Nguyễn". pheu_fold is registered on every connection (store/database.h).
    R"sql(
ALTER TABLE customers ADD COLUMN name_folded TEXT;
UPDATE customers SET name_folded = pheu_fold(name) WHERE name IS NOT NULL;
)sql",
    // 13: a code used by someone other than the customer it was issued to. Each such use is
    // recorded (owner, redeemer, order); the campaign says whether it is honoured, that is
    // whether the code then counts as redeemed.
    R"sql(
ALTER TABLE voucher_campaigns ADD COLUMN honour_shared INTEGER NOT NULL DEFAULT 0;
ALTER TABLE voucher_codes ADD COLUMN redeemed_by INTEGER;
CREATE TABLE voucher_shared_uses (
    code        TEXT    NOT NULL,
    order_id    TEXT    NOT NULL,
    campaign_id TEXT    NOT NULL,
    owner_id    INTEGER NOT NULL,
    redeemer_id INTEGER NOT NULL,
    used_at     INTEGER NOT NULL,
    honoured    INTEGER NOT NULL,
    PRIMARY KEY (code, order_id)
) STRICT, WITHOUT ROWID;
)sql",
    // 14: a claimed message is in doubt after a crash only once its request may have gone
    // out; until then it returns to the queue (store/delivery_store.h).
    R"sql(
ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;
)sql",
    // 15: one row the inbox writer rewrites to learn whether it can commit again after a
    // failure (GET /healthz; store/inbox_writer.h).
    R"sql(
CREATE TABLE inbox_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);
)sql",
    // 16: a customer whose personal data was erased at their request (store/personal_data.h).
    R"sql(
ALTER TABLE customers ADD COLUMN erased_at INTEGER;
)sql",
    // 17: what the shop configures (settings, templates, playbook, catalog, voucher
    // campaigns) has a version every write to it raises, so the worker keeps it in memory
    // and reads one number per batch instead of the rows per event (store/config_version.h).
    R"sql(
CREATE TABLE shop_config_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT;
INSERT INTO shop_config_version (id, version) VALUES (1, 0);
CREATE TRIGGER settings_insert_bumps_config AFTER INSERT ON settings BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER settings_update_bumps_config AFTER UPDATE ON settings BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER settings_delete_bumps_config AFTER DELETE ON settings BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER templates_insert_bumps_config AFTER INSERT ON templates BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER templates_update_bumps_config AFTER UPDATE ON templates BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER templates_delete_bumps_config AFTER DELETE ON templates BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER playbook_insert_bumps_config AFTER INSERT ON playbook BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER playbook_update_bumps_config AFTER UPDATE ON playbook BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER playbook_delete_bumps_config AFTER DELETE ON playbook BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER products_insert_bumps_config AFTER INSERT ON products BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER products_update_bumps_config AFTER UPDATE ON products BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER products_delete_bumps_config AFTER DELETE ON products BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER voucher_campaigns_insert_bumps_config AFTER INSERT ON voucher_campaigns BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER voucher_campaigns_update_bumps_config AFTER UPDATE ON voucher_campaigns BEGIN UPDATE shop_config_version SET version = version + 1; END;
CREATE TRIGGER voucher_campaigns_delete_bumps_config AFTER DELETE ON voucher_campaigns BEGIN UPDATE shop_config_version SET version = version + 1; END;
)sql",
    // 18: the funnel report's figures kept as they are written, in quarter-hour slots, so a
    // report sums its period's slots instead of replaying its stage changes and looking up
    // every order's stage (store/funnel_ledger_schema.cpp).
    funnel_ledger_migration().c_str(),
    // 19: the dispatcher fails in-doubt messages past their grace before every claim. Without
    // an index on the age of a doubt, that walked every queued row (outbox_queued): with a
    // backlog of 20,000 replies, a third of the dispatcher's time at 2,000 chats a second.
    R"sql(
CREATE INDEX outbox_doubt_age ON outbox (in_doubt_since) WHERE in_doubt_since IS NOT NULL;
)sql",
    // 20: a rule declares that its template recommends a product ("product_tip": "if_any"),
    // where pheu used to guess it from "product" in the template's id. The rules that relied
    // on the guess say so now, so they keep recommending.
    R"sql(
UPDATE playbook SET definition = json_set(definition, '$.rules', (
    SELECT json_group_array(CASE
        WHEN json_extract(rule.value, '$.template') LIKE '%product%'
             AND json_type(rule.value, '$.product_tip') IS NULL
        THEN json_set(rule.value, '$.product_tip', 'if_any')
        ELSE json(rule.value) END)
    FROM json_each(definition, '$.rules') AS rule))
WHERE json_type(definition, '$.rules') = 'array';
)sql",
    // 21: what a reply reads of its customer (the latest game play, the products viewed last,
    // the identity used last on a channel) is read through an index in the order wanted. Each
    // read used to sort into a temporary table built and dropped per message: about a tenth
    // of the worker's time.
    R"sql(
DROP INDEX game_plays_by_customer;
CREATE INDEX game_plays_latest ON game_plays (customer_id, played_at, id);
CREATE INDEX product_views_latest ON product_views (customer_id, last_viewed_at, view_count);
DROP INDEX customer_identities_by_customer;
CREATE INDEX customer_identities_latest
    ON customer_identities (customer_id, channel, last_interaction_at DESC, external_id);
)sql",
    // 22: the dispatcher claims what a shopper waits for (messages, and the profile reads a
    // welcome waits on) before the Zalo tags that mirror stages. A new shopper's chat queues
    // a tag and a reply; in id order the tags took half the senders, and at 2,000 chats a
    // second a reply waited a second in the queue. The queued rows' index is in that order,
    // so the claim reads it without sorting.
    R"sql(
DROP INDEX outbox_queued;
CREATE INDEX outbox_queued ON outbox ((kind IN ('tag', 'untag')), id) WHERE status = 'queued';
)sql",
    // 23: segments. A segment filters customers by what they bought (orders, money, the last
    // order) and what their profile says (city, birthday) among a million customers in one
    // pass over the table: the order totals are kept on the customer as orders are written,
    // moved, cancelled or erased, instead of summed per customer per count (orders placed and
    // not cancelled count, as the console shows), and the city and birth month are kept as a
    // filter compares them (pheu_city, pheu_birth_month), instead of parsed per row per count.
    R"sql(
ALTER TABLE customers ADD COLUMN orders_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN total_spent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN last_order_at INTEGER;
-- What the profile says, in the form a filter compares, follows the profile however it is
-- written (a shared profile, a form, a merge, an erasure).
ALTER TABLE customers ADD COLUMN city_key TEXT;
ALTER TABLE customers ADD COLUMN birth_month INTEGER;
UPDATE customers SET city_key = pheu_city(json_extract(address, '$.city')), birth_month = pheu_birth_month(birthday)
    WHERE address IS NOT NULL OR birthday IS NOT NULL;
CREATE TRIGGER customers_insert_profile_keys AFTER INSERT ON customers
    WHEN NEW.address IS NOT NULL OR NEW.birthday IS NOT NULL BEGIN
    UPDATE customers SET city_key = pheu_city(json_extract(NEW.address, '$.city')),
        birth_month = pheu_birth_month(NEW.birthday) WHERE id = NEW.id;
END;
CREATE TRIGGER customers_update_profile_keys AFTER UPDATE OF address, birthday ON customers
    WHEN OLD.address IS NOT NEW.address OR OLD.birthday IS NOT NEW.birthday BEGIN
    UPDATE customers SET city_key = pheu_city(json_extract(NEW.address, '$.city')),
        birth_month = pheu_birth_month(NEW.birthday) WHERE id = NEW.id;
END;
UPDATE customers SET (orders_count, total_spent, last_order_at) = (SELECT count(*), CAST(total(total) AS INTEGER), max(placed_at)
        FROM orders WHERE customer_id = customers.id AND placed_at IS NOT NULL AND cancelled_at IS NULL)
        WHERE id IN (SELECT customer_id FROM orders);
CREATE TRIGGER orders_insert_totals AFTER INSERT ON orders BEGIN
    UPDATE customers SET (orders_count, total_spent, last_order_at) = (SELECT count(*), CAST(total(total) AS INTEGER), max(placed_at)
        FROM orders WHERE customer_id = NEW.customer_id AND placed_at IS NOT NULL AND cancelled_at IS NULL)
        WHERE id = NEW.customer_id;
END;
CREATE TRIGGER orders_update_totals AFTER UPDATE OF customer_id, placed_at, total, cancelled_at ON orders BEGIN
    UPDATE customers SET (orders_count, total_spent, last_order_at) = (SELECT count(*), CAST(total(total) AS INTEGER), max(placed_at)
        FROM orders WHERE customer_id = NEW.customer_id AND placed_at IS NOT NULL AND cancelled_at IS NULL)
        WHERE id = NEW.customer_id;
    UPDATE customers SET (orders_count, total_spent, last_order_at) = (SELECT count(*), CAST(total(total) AS INTEGER), max(placed_at)
        FROM orders WHERE customer_id = OLD.customer_id AND placed_at IS NOT NULL AND cancelled_at IS NULL)
        WHERE id = OLD.customer_id AND OLD.customer_id IS NOT NEW.customer_id;
END;
CREATE TRIGGER orders_delete_totals AFTER DELETE ON orders BEGIN
    UPDATE customers SET (orders_count, total_spent, last_order_at) = (SELECT count(*), CAST(total(total) AS INTEGER), max(placed_at)
        FROM orders WHERE customer_id = OLD.customer_id AND placed_at IS NOT NULL AND cancelled_at IS NULL)
        WHERE id = OLD.customer_id;
END;
-- "Bought a category": the customers who did, found from the category.
CREATE INDEX order_items_by_category ON order_items (category, order_id);
CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    filter     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
)sql",
    // 24: broadcasts, a template sent to a segment on the shop's initiative. The audience is
    // walked in customer id order; `next_customer` is the progress, committed with the
    // messages it decided, so a restart goes on where the last commit ended. Each decided
    // customer has a row in broadcast_sends (the key makes a second decision impossible) with
    // the route and the price the message was expected to cost.
    R"sql(
CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    segment_id      INTEGER NOT NULL,
    filter          TEXT,
    template        TEXT    NOT NULL,
    campaign        TEXT,
    send_at         INTEGER NOT NULL,
    holdout_percent INTEGER NOT NULL DEFAULT 0,
    budget_vnd      INTEGER,
    respect_caps    INTEGER NOT NULL DEFAULT 1,
    status          TEXT    NOT NULL DEFAULT 'scheduled'
        CHECK (status = 'scheduled' OR status = 'sending' OR status = 'paused' OR status = 'done'
               OR status = 'cancelled'),
    audience        INTEGER NOT NULL DEFAULT 0,
    reserved_vnd    INTEGER NOT NULL DEFAULT 0,
    next_customer   INTEGER NOT NULL DEFAULT 0,
    all_decided     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER
) STRICT;
CREATE INDEX broadcasts_active ON broadcasts (send_at) WHERE status IN ('scheduled', 'sending');
CREATE TABLE broadcast_sends (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    customer_id  INTEGER NOT NULL,
    outbox_id    INTEGER NOT NULL,
    route        TEXT,
    cost_vnd     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (broadcast_id, customer_id)
) STRICT, WITHOUT ROWID;
)sql",
    // 25: short links. A link in a sent message is stored with the message it belongs to and
    // served as /r/<token>, a token signed with this database's own link secret (made here,
    // never shown), so a link keeps working for as long as the data it points into.
    R"sql(
CREATE TABLE link_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT    NOT NULL
) STRICT;
INSERT INTO link_secret (id, secret) VALUES (1, lower(hex(randomblob(32))));
CREATE TABLE links (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    customer_id INTEGER NOT NULL,
    message_key TEXT    NOT NULL,
    trigger     TEXT    NOT NULL,
    campaign    TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX links_by_message ON links (message_key);
CREATE TABLE link_clicks (
    id          INTEGER PRIMARY KEY,
    link_id     INTEGER NOT NULL REFERENCES links (id),
    customer_id INTEGER NOT NULL,
    clicked_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX link_clicks_by_link ON link_clicks (link_id, clicked_at);
CREATE INDEX link_clicks_by_customer ON link_clicks (customer_id, clicked_at);
)sql",
    // 26: a broadcast's template variants, [{"template","weight"}] (2 to 4), or none.
    R"sql(
ALTER TABLE broadcasts ADD COLUMN variants TEXT;
)sql",
    // 27: what a sent message cost the shop, VND, worked out from how it went (a Zalo
    // consultation message inside or past 48 hours, a template, ZNS, Messenger) and the
    // shop's prices when it was sent; NULL before this version and for messages not sent.
    R"sql(
ALTER TABLE outbox ADD COLUMN cost_vnd INTEGER;
)sql",
    // 28: the tags shop staff put on followers in the OA (Zalo's add_user_to_tag webhooks),
    // for segments. A tag removed, or the tag deleted, removes its rows.
    R"sql(
CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    tag         TEXT    NOT NULL,
    tagged_at   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_tags_by_tag ON customer_tags (tag, customer_id);
)sql",
    // 29: the console's people and their sessions. A password is kept as its Argon2id hash;
    // a session as the SHA-256 of its cookie, so a copy of the database signs nobody in.
    R"sql(
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role = 'owner' OR role = 'marketer' OR role = 'staff'),
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE TABLE user_sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
)sql",
    // 30: OAuth authorisations started from the console and not yet come back: the SHA-256
    // of the state sent to the platform, the PKCE verifier, who started it. Single use, and
    // kept ten minutes at most.
    R"sql(
CREATE TABLE oauth_requests (
    state_hash    TEXT    PRIMARY KEY,
    channel       TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    code_verifier TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
    // 31: outbound webhooks. The shop's endpoints and the deliveries owed to them. A delivery is
    // written by a trigger in the same transaction as the change it tells of (a stage entered,
    // a voucher issued or redeemed, a message failed, an opt-out), so none is lost or invented
    // whatever crashes; a sender thread posts them (bot/delivery/webhook_sender.h). Payloads
    // carry ids, never names or phones.
    R"sql(
CREATE TABLE webhook_endpoints (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    events      TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id),
    event_type      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status = 'pending' OR status = 'delivered' OR status = 'failed'),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE TRIGGER webhook_stage_changed AFTER INSERT ON stage_history
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'customer.stage_changed',
           json_object('type', 'customer.stage_changed',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (NEW.changed_at) / 1000.0, 'unixepoch'),
                       'data', json_object('customer_id', CAST(NEW.customer_id AS TEXT), 'from', NEW.from_stage, 'to', NEW.to_stage, 'reason', NEW.reason)),
           NEW.changed_at, NEW.changed_at
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'customer.stage_changed');
END;
CREATE TRIGGER webhook_voucher_issued AFTER UPDATE OF customer_id ON voucher_codes WHEN OLD.customer_id IS NULL AND NEW.customer_id IS NOT NULL
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'voucher.issued',
           json_object('type', 'voucher.issued',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000)) / 1000.0, 'unixepoch'),
                       'data', json_object('customer_id', CAST(NEW.customer_id AS TEXT), 'campaign', NEW.campaign_id, 'code', NEW.code, 'expires_at', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.expires_at / 1000.0, 'unixepoch'))),
           coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000), coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000)
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'voucher.issued');
END;
CREATE TRIGGER webhook_voucher_born_issued AFTER INSERT ON voucher_codes WHEN NEW.customer_id IS NOT NULL
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'voucher.issued',
           json_object('type', 'voucher.issued',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000)) / 1000.0, 'unixepoch'),
                       'data', json_object('customer_id', CAST(NEW.customer_id AS TEXT), 'campaign', NEW.campaign_id, 'code', NEW.code, 'expires_at', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.expires_at / 1000.0, 'unixepoch'))),
           coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000), coalesce(NEW.issued_at, CAST(unixepoch() AS INTEGER) * 1000)
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'voucher.issued');
END;
CREATE TRIGGER webhook_voucher_redeemed AFTER UPDATE OF redeemed_at ON voucher_codes WHEN OLD.redeemed_at IS NULL AND NEW.redeemed_at IS NOT NULL
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'voucher.redeemed',
           json_object('type', 'voucher.redeemed',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (NEW.redeemed_at) / 1000.0, 'unixepoch'),
                       'data', json_object('customer_id', CAST(NEW.customer_id AS TEXT), 'campaign', NEW.campaign_id, 'code', NEW.code, 'order_id', NEW.order_id)),
           NEW.redeemed_at, NEW.redeemed_at
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'voucher.redeemed');
END;
CREATE TRIGGER webhook_message_failed AFTER UPDATE OF status ON outbox WHEN NEW.status = 'failed' AND OLD.status != 'failed' AND NEW.kind = 'message'
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'message.failed',
           json_object('type', 'message.failed',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (NEW.updated_at) / 1000.0, 'unixepoch'),
                       'data', json_object('message_id', CAST(NEW.id AS TEXT), 'customer_id', CAST(NEW.customer_id AS TEXT), 'channel', NEW.channel, 'trigger', NEW.trigger, 'reason', NEW.reason, 'platform_code', NEW.platform_code)),
           NEW.updated_at, NEW.updated_at
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'message.failed');
END;
CREATE TRIGGER webhook_opted_out AFTER UPDATE OF opted_out_at ON customers WHEN OLD.opted_out_at IS NULL AND NEW.opted_out_at IS NOT NULL
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_type, payload, next_attempt_at, created_at)
    SELECT e.id, 'customer.opted_out',
           json_object('type', 'customer.opted_out',
                       'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', (NEW.opted_out_at) / 1000.0, 'unixepoch'),
                       'data', json_object('customer_id', CAST(NEW.id AS TEXT))),
           NEW.opted_out_at, NEW.opted_out_at
    FROM webhook_endpoints e
    WHERE e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'customer.opted_out');
END;
)sql",
    // 32: a customer's gender as a segment compares it ('male', 'female' or NULL), kept by
    // the repository with the gender it writes, as the city key and birth month are: a
    // segment count compares a column instead of parsing each row, and PostgreSQL, which
    // has no pheu_gender, filters alike.
    R"sql(
ALTER TABLE customers ADD COLUMN gender_key TEXT;
UPDATE customers SET gender_key = pheu_gender(gender) WHERE gender IS NOT NULL;
)sql",
    // 33: the lane each event is decided in (bot/customers/person_lane.h). PostgreSQL's
    // instances lock worker_lanes' rows to share the worker's events; one SQLite writer
    // needs neither, and keeps them so that both schemas stay one.
    R"sql(
ALTER TABLE inbox_events ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
CREATE TABLE worker_lanes (lane INTEGER PRIMARY KEY);
)sql",
    // 34: the processes serving the database, with a heartbeat each (store/instances.h), and
    // which of them claimed an outbox row: a row whose claimer's heartbeat stopped is
    // recovered (queued again, or in doubt once attempted) by a live one.
    R"sql(
CREATE TABLE pheu_instances (
    id           TEXT PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
)sql",
    // 35: nothing on SQLite, whose ledger triggers are its own. PostgreSQL's funnel ledger
    // helpers move to PL/pgSQL, which keeps their plans (store/postgres/035_ledger_plans.sql);
    // the two schemas keep one numbering.
    R"sql(
SELECT 1;
)sql",
    // 36: nothing on SQLite either, whose webhook triggers select from the endpoints table
    // and build nothing when it is empty. PostgreSQL's queue function moves to PL/pgSQL and
    // its trigger returns early with no endpoint (store/postgres/036_webhook_queue_plans.sql).
    R"sql(
SELECT 1;
)sql",
    // 37: the funnel ledger's counters get a shard: on PostgreSQL each transaction adds to
    // one of 8, so instances' workers do not wait on each other's counter rows
    // (store/postgres/037_ledger_shards.sql). SQLite has one writer at a time: shard 0 only,
    // and the reports' sums read both alike.
    R"sql(
ALTER TABLE funnel_steps ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE funnel_moves ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE funnel_standing ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE funnel_revenue ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_stage_counts ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
)sql",
    // 38: when a message last showed the customer the menu ({{> menu}}), so that a reply soon
    // after can leave it out (customer.menu_seen_recently).
    R"sql(
ALTER TABLE customers ADD COLUMN menu_shown_at INTEGER;
)sql",
    // 39: when the shopper last named a size or gave their height or weight, so that the
    // replies just after do not ask for them again (message.has_size, has_measurements).
    R"sql(
ALTER TABLE customers ADD COLUMN size_told_at INTEGER;
ALTER TABLE customers ADD COLUMN measurements_told_at INTEGER;
)sql",
};

// DDL bumps the schema cookie itself; a rewrite of the CREATE text through writable_schema
// does not, and without a new cookie other open connections would keep the schema they
// parsed before.
void bump_schema_cookie(SQLite::Database& db) {
    const int cookie = db.execAndGet("PRAGMA schema_version").getInt();
    db.exec("PRAGMA schema_version = " + std::to_string(cookie + 1));
}

} // namespace

int migrate(sql::Connection& db) {
    if (db.backend() == sql::Backend::postgresql) {
        return apply_postgres_migrations(db);
    }
    return apply_migrations(sql::sqlite_handle(db));
}

std::unique_ptr<sql::Connection> open_and_migrate(const std::string& configured) {
    auto db = sql::open_connection(configured);
    migrate(*db);
    return db;
}

int latest_schema_version() {
    return static_cast<int>(k_migrations.size());
}

int apply_migrations(SQLite::Database& db) {
    return apply_migrations(db, latest_schema_version());
}

int apply_migrations(SQLite::Database& db, int target) {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    while (version < target) {
        SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
        // Another process may have migrated between our read and the lock.
        version = db.execAndGet("PRAGMA user_version").getInt();
        if (version >= target) {
            break;
        }
        db.exec(k_migrations[static_cast<std::size_t>(version)]);
        bump_schema_cookie(db);
        ++version;
        db.exec("PRAGMA user_version = " + std::to_string(version));
        transaction.commit();
    }
    return version;
}

} // namespace pheu::store
