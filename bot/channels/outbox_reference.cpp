#include "bot/channels/outbox_reference.h"

#include <cstdlib>

namespace pheu::bot::channels {

std::string outbox_reference(const std::string& prefix, std::int64_t outbox_id) {
    return prefix + std::to_string(outbox_id);
}

std::optional<std::int64_t> outbox_id_of_reference(const std::string& prefix, const std::string& reference) {
    if (reference.rfind(prefix, 0) != 0 || reference.size() == prefix.size()) {
        return std::nullopt;
    }
    char* end = nullptr;
    const long long id = std::strtoll(reference.c_str() + prefix.size(), &end, 10);
    return *end == '\0' && id > 0 ? std::optional<std::int64_t>(id) : std::nullopt;
}

} // namespace pheu::bot::channels
