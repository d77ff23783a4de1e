#pragma once
// What pheu holds about one person, and its erasure (Vietnam's Decree 13/2023 on personal
// data protection: a shopper may ask the shop for both). A person is a customer together with
// the customers merged into it.
//
// Erasure keeps what the reports count and nothing that names or reaches anyone: the
// customer row stays with its stage and dates, orders with their totals, messages with their
// trigger and status, so every past figure stays right; names, phones, addresses, birthdays,
// carts, avatars, identities, Zalo tags, message texts and recipients, the addresses of their short links
// (clicks stay counted), event contents and raw bodies (their dedupe keys included, which
// carry platform ids) are gone. Without identities, a later
// event from the same platform id starts a new customer.
#include "store/sql/connection.h"
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace pheu::store {

// The customer and every customer merged into it (at any depth).
std::vector<std::int64_t> person_of(sql::Connection& db, std::int64_t customer_id);

// Every row pheu holds about the person, by table, as JSON.
nlohmann::json personal_data(sql::Connection& db, std::int64_t customer_id);

struct Erasure {
    int customers = 0;
    int identities = 0;
    int events = 0;
    int messages = 0;
};

// Erases the person's personal data in the caller's transaction (see above).
Erasure erase_personal_data(sql::Connection& db, std::int64_t customer_id, std::int64_t now_ms);

} // namespace pheu::store
