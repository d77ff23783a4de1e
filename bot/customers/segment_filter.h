#pragma once
// What a segment's filter may say, as the shop writes it in JSON (README, "Segments"):
//   {"stage": "frequent_buyer" | [...], "temperature": "hot" | [...] (new leads),
//    "orders_count": {"min":N,"max":N}, "total_spent": {…}, "last_order_days_ago": {…},
//    "last_interaction_days_ago": {…}, "first_seen_days_ago": {…},
//    "bought_category" / "bought_sku" / "viewed_category" / "viewed_sku": "ao" | [...],
//    "city": "Hà Nội", "birthday_month": 1-12, "gender": "male" | "female",
//    "voucher_held" / "voucher_redeemed": a campaign id | [...], "opted_in": true,
//    "zalo_tag": "VIP" | [...], "reachable": "zalo" | "messenger" | "zns" | "any"}
// Every key is optional and those present must all hold. A key pheu does not know is an
// error, not ignored: a misspelt condition would otherwise widen the audience of a send.
#include "store/segment_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace pheu::bot {

// Throws common::InputRejected naming the field (its pointer below `path`).
store::SegmentFilter parse_segment_filter(const nlohmann::json& filter, const std::string& path = "/filter");

// The moment the filter's day counts and windows are taken from.
store::SegmentClock segment_clock(std::int64_t now_ms);

} // namespace pheu::bot
