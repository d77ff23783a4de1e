#pragma once
// Migration 18: the funnel ledger, the figures the funnel report sums, kept by triggers as
// stage changes, orders and customers are written (store/report_queries.h reads them), in
// slots of a quarter of an hour. Triggers, so that whatever writes the history, orders or
// customers (the worker, a merge, a late event, a tool) keeps them true.
//  - funnel_steps: each stage change as a step from where its customer stood just before it,
//    by time (changed_at, then id), '' for nowhere. A change written between two others, or
//    moved to another customer by a merge, re-links its neighbours, so that the steps before
//    a moment count every customer by where they stood then.
//  - funnel_standing: the steps summed: every customer by their latest stage.
//  - funnel_moves: each change as it records itself (from_stage, to_stage): the transitions.
//  - funnel_revenue: orders placed and not cancelled, by the stage in force when placed
//    (kept on the order as revenue_stage; the order's own change counts, as it is written
//    just after the order).
//  - customer_stage_counts: customers not merged away, by their stage now.
#include <string>

namespace pheu::store {

// The migration's SQL: tables, the backfill from the rows already there, and the triggers.
const std::string& funnel_ledger_migration();

} // namespace pheu::store
