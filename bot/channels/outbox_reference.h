#pragma once
// pheu names its outbox row in what it sends where the platform hands the value back:
// Messenger's message metadata ("pheu:41") and ZNS's tracking id ("pheu-41"). These turn
// a row id into such a reference and back.
#include <cstdint>
#include <optional>
#include <string>

namespace pheu::bot::channels {

std::string outbox_reference(const std::string& prefix, std::int64_t outbox_id);
// The row id of a reference with `prefix`; nullopt for anything else (a staff note, another
// system's tracking id).
std::optional<std::int64_t> outbox_id_of_reference(const std::string& prefix, const std::string& reference);

} // namespace pheu::bot::channels
