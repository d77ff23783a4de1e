#pragma once
// The HTTP exchanges the integration tests make, one JSON line each, appended to the file
// PHEU_EXCHANGE_LOG names (scripts/test.sh sets it): tests/openapi/check_exchanges.mjs then
// checks every one against docs/openapi.json, so the document cannot drift from what the
// server answers. Without the variable nothing is written.
#include <httplib.h>

#include <string>

namespace pheu::testing {

void record_exchange(const std::string& method, const std::string& path, const httplib::Result& result);

} // namespace pheu::testing
