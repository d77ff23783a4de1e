#include "store/funnel_ledger_schema.h"

#include "store/report_queries.h"

namespace pheu::store {

namespace {

// A migration, once applied, is never rewritten: its slot is written here, and the report's
// constant must stay equal to it (a new slot would need a new migration and a rebuilt ledger).
static_assert(k_funnel_slot_ms == 900'000, "migration 18 keeps the funnel ledger in slots of 900000 ms");

// A moment's slot, in SQL.
std::string slot_of(const std::string& moment) {
    return moment + " / 900000 * 900000";
}

// Where `row`'s customer stood just before it, by time then id ('' for nowhere).
std::string stage_before(const std::string& row) {
    return "coalesce((SELECT p.to_stage FROM stage_history p WHERE p.customer_id = " + row +
           ".customer_id AND (p.changed_at, p.id) < (" + row + ".changed_at, " + row +
           ".id) ORDER BY p.changed_at DESC, p.id DESC LIMIT 1), '')";
}

// Adds `sign` times `row`'s step to its customer's chain (+1 when it joins the chain, -1
// when it leaves), and re-links the change after it, whose step starts from `row` while it
// is there and from the change before it otherwise. The upserts read `WHERE true` so that
// ON is not taken for a join.
std::string link_steps(const std::string& row, int sign) {
    const std::string in = std::to_string(sign);
    const std::string out = std::to_string(-sign);
    return "    INSERT INTO funnel_steps (bucket, from_stage, to_stage, count)\n"
           "        SELECT " +
           slot_of(row + ".changed_at") + ", " + stage_before(row) + ", " + row + ".to_stage, " + in +
           " WHERE true\n"
           "        ON CONFLICT DO UPDATE SET count = count + excluded.count;\n"
           "    INSERT INTO funnel_steps (bucket, from_stage, to_stage, count)\n"
           "        SELECT " +
           slot_of("n.changed_at") +
           ", step.from_stage, n.to_stage, step.count\n"
           "        FROM (SELECT changed_at, to_stage FROM stage_history WHERE customer_id = " +
           row + ".customer_id AND (changed_at, id) > (" + row + ".changed_at, " + row +
           ".id) ORDER BY changed_at, id LIMIT 1) AS n,\n"
           "             (SELECT " +
           stage_before(row) + " AS from_stage, " + out + " AS count UNION ALL SELECT " + row + ".to_stage, " + in +
           ") AS step\n"
           "        WHERE true ON CONFLICT DO UPDATE SET count = count + excluded.count;\n";
}

std::string count_move(const std::string& row, int sign) {
    return "    INSERT INTO funnel_moves (bucket, from_stage, to_stage, count) VALUES (" +
           slot_of(row + ".changed_at") + ", coalesce(" + row + ".from_stage, ''), " + row + ".to_stage, " +
           std::to_string(sign) + ") ON CONFLICT DO UPDATE SET count = count + excluded.count;\n";
}

// The stage in force when the order `orders` names was placed: its customer's latest
// written change at or before that moment ('new_customer' before any). A function, not a
// constant: migrations.cpp builds its list at start-up, maybe before this file's constants.
std::string stage_in_force() {
    return "coalesce((SELECT h.to_stage FROM stage_history h WHERE h.customer_id = orders.customer_id "
           "AND h.changed_at <= orders.placed_at ORDER BY h.id DESC LIMIT 1), 'new_customer')";
}

std::string revenue(const std::string& row, const std::string& sign) {
    return "    INSERT INTO funnel_revenue (bucket, stage, amount) SELECT " + slot_of(row + ".placed_at") + ", " + row +
           ".revenue_stage, " + sign + row + ".total WHERE " + row + ".placed_at IS NOT NULL AND " + row +
           ".cancelled_at IS NULL AND " + row +
           ".revenue_stage IS NOT NULL\n"
           "        ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;\n";
}

std::string build() {
    // Tables, then the backfill, then the triggers: the backfill fires none of them.
    std::string sql = "CREATE INDEX stage_history_chain ON stage_history (customer_id, changed_at, id);\n";
    for (const char* table : {"funnel_steps", "funnel_moves"}) {
        sql += std::string("CREATE TABLE ") + table +
               " (bucket INTEGER NOT NULL, from_stage TEXT NOT NULL, to_stage TEXT NOT NULL, count INTEGER NOT NULL, "
               "PRIMARY KEY (bucket, from_stage, to_stage)) STRICT, WITHOUT ROWID;\n";
    }
    sql += R"sql(
CREATE TABLE funnel_standing (stage TEXT PRIMARY KEY, count INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE funnel_revenue (
    bucket INTEGER NOT NULL,
    stage  TEXT    NOT NULL,
    amount REAL    NOT NULL, -- as total() sums: order totals past int64 still add up
    PRIMARY KEY (bucket, stage)
) STRICT, WITHOUT ROWID;
CREATE TABLE customer_stage_counts (stage TEXT PRIMARY KEY, count INTEGER NOT NULL) STRICT, WITHOUT ROWID;
ALTER TABLE orders ADD COLUMN revenue_stage TEXT;
)sql";
    sql += "INSERT INTO funnel_moves (bucket, from_stage, to_stage, count) SELECT " + slot_of("changed_at") +
           ", coalesce(from_stage, ''), to_stage, count(*) FROM stage_history GROUP BY 1, 2, 3;\n";
    sql += "INSERT INTO funnel_steps (bucket, from_stage, to_stage, count) SELECT bucket, from_stage, to_stage, "
           "count(*) FROM (SELECT " +
           slot_of("changed_at") +
           " AS bucket, to_stage, coalesce(lag(to_stage) OVER (PARTITION BY customer_id ORDER BY changed_at, id), '') "
           "AS from_stage FROM stage_history) GROUP BY 1, 2, 3;\n";
    sql += R"sql(
INSERT INTO funnel_standing (stage, count)
    SELECT stage, sum(count) FROM (SELECT to_stage AS stage, count FROM funnel_steps
                                   UNION ALL SELECT from_stage, -count FROM funnel_steps) GROUP BY stage;
)sql";
    sql += "UPDATE orders SET revenue_stage = " + stage_in_force() + " WHERE placed_at IS NOT NULL;\n";
    sql += "INSERT INTO funnel_revenue (bucket, stage, amount) SELECT " + slot_of("placed_at") +
           ", revenue_stage, total(total) FROM orders WHERE placed_at IS NOT NULL AND cancelled_at IS NULL "
           "GROUP BY 1, 2;\n";
    sql += "INSERT INTO customer_stage_counts (stage, count) SELECT stage, count(*) FROM customers "
           "WHERE merged_into IS NULL GROUP BY stage;\n";

    // Steps and moves: a change joins its customer's chain when written, leaves it when
    // deleted, and a merge moves it from one chain to the other.
    sql += "CREATE TRIGGER stage_history_insert_steps AFTER INSERT ON stage_history BEGIN\n" + count_move("NEW", 1) +
           link_steps("NEW", 1) + "END;\n";
    sql += "CREATE TRIGGER stage_history_delete_steps AFTER DELETE ON stage_history BEGIN\n" + count_move("OLD", -1) +
           link_steps("OLD", -1) + "END;\n";
    sql += "CREATE TRIGGER stage_history_moved_steps AFTER UPDATE OF customer_id ON stage_history "
           "WHEN OLD.customer_id IS NOT NEW.customer_id BEGIN\n" +
           link_steps("OLD", -1) + link_steps("NEW", 1) + "END;\n";
    sql += R"sql(
-- The steps summed: a step from one stage to another moves its count between them.
CREATE TRIGGER funnel_steps_insert_standing AFTER INSERT ON funnel_steps BEGIN
    INSERT INTO funnel_standing (stage, count) VALUES (NEW.to_stage, NEW.count), (NEW.from_stage, -NEW.count)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER funnel_steps_update_standing AFTER UPDATE ON funnel_steps BEGIN
    INSERT INTO funnel_standing (stage, count)
        VALUES (NEW.to_stage, NEW.count - OLD.count), (NEW.from_stage, OLD.count - NEW.count)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
)sql";

    // Revenue: an order takes the stage in force when placed. A change written later has the
    // highest id, so it is in force for every order of its customer placed at or after it;
    // a change deleted or moved, and an order moved, make the orders they touch look again.
    sql += "CREATE TRIGGER orders_insert_revenue_stage AFTER INSERT ON orders WHEN NEW.placed_at IS NOT NULL BEGIN\n"
           "    UPDATE orders SET revenue_stage = " +
           stage_in_force() + " WHERE order_id = NEW.order_id;\nEND;\n";
    sql += R"sql(
CREATE TRIGGER stage_history_insert_revenue_stage AFTER INSERT ON stage_history BEGIN
    UPDATE orders SET revenue_stage = NEW.to_stage
        WHERE customer_id = NEW.customer_id AND placed_at >= NEW.changed_at AND revenue_stage IS NOT NULL
        AND revenue_stage IS NOT NEW.to_stage;
END;
)sql";
    sql += "CREATE TRIGGER stage_history_delete_revenue_stage AFTER DELETE ON stage_history BEGIN\n"
           "    UPDATE orders SET revenue_stage = " +
           stage_in_force() +
           " WHERE customer_id = OLD.customer_id AND placed_at >= OLD.changed_at AND revenue_stage IS NOT NULL;\n"
           "END;\n";
    sql += "CREATE TRIGGER stage_history_moved_revenue_stage AFTER UPDATE OF customer_id ON stage_history "
           "WHEN OLD.customer_id IS NOT NEW.customer_id BEGIN\n"
           "    UPDATE orders SET revenue_stage = " +
           stage_in_force() +
           " WHERE (customer_id = OLD.customer_id OR customer_id = NEW.customer_id) "
           "AND placed_at >= OLD.changed_at AND revenue_stage IS NOT NULL;\n"
           "END;\n";
    sql += "CREATE TRIGGER orders_moved_revenue_stage AFTER UPDATE OF customer_id ON orders "
           "WHEN OLD.customer_id IS NOT NEW.customer_id AND NEW.revenue_stage IS NOT NULL BEGIN\n"
           "    UPDATE orders SET revenue_stage = " +
           stage_in_force() + " WHERE order_id = NEW.order_id;\nEND;\n";
    sql += "CREATE TRIGGER orders_update_revenue AFTER UPDATE OF placed_at, total, cancelled_at, revenue_stage ON "
           "orders WHEN OLD.placed_at IS NOT NEW.placed_at OR OLD.total IS NOT NEW.total OR OLD.cancelled_at IS NOT "
           "NEW.cancelled_at OR OLD.revenue_stage IS NOT NEW.revenue_stage BEGIN\n" +
           revenue("OLD", "-") + revenue("NEW", "") + "END;\n";

    sql += R"sql(
-- Customers by their stage now, merged ones left out.
CREATE TRIGGER customers_insert_stage_count AFTER INSERT ON customers WHEN NEW.merged_into IS NULL BEGIN
    INSERT INTO customer_stage_counts (stage, count) VALUES (NEW.stage, 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER customers_update_stage_count AFTER UPDATE OF stage, merged_into ON customers
WHEN OLD.stage IS NOT NEW.stage OR OLD.merged_into IS NOT NEW.merged_into BEGIN
    INSERT INTO customer_stage_counts (stage, count) SELECT OLD.stage, -1 WHERE OLD.merged_into IS NULL
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
    INSERT INTO customer_stage_counts (stage, count) SELECT NEW.stage, 1 WHERE NEW.merged_into IS NULL
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER customers_delete_stage_count AFTER DELETE ON customers WHEN OLD.merged_into IS NULL BEGIN
    UPDATE customer_stage_counts SET count = count - 1 WHERE stage = OLD.stage;
END;
)sql";
    return sql;
}

} // namespace

const std::string& funnel_ledger_migration() {
    static const std::string sql = build();
    return sql;
}

} // namespace pheu::store
