#pragma once
// Compact JSON text, the same bytes as nlohmann's `dump(-1, ' ', false, replace)`, written
// faster. nlohmann runs every byte of every string through a UTF-8 decoder, which made
// serialising an event a fifth of the HTTP loop's work per webhook. Here valid UTF-8 is
// copied in runs and only the characters JSON must escape are looked at; a string holding
// invalid UTF-8 (rare: parsed input is already valid) is left to nlohmann, so its bytes are
// replaced exactly as before.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace pheu::common {

std::string compact_json_text(const nlohmann::json& value);

// Writes one JSON object member by member into `out`, in the same compact form, for a struct
// serialised without building a DOM first. Members appear in the order written: write them
// sorted by key for the bytes nlohmann would give the same object.
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(std::string& out);
    JsonObjectWriter& member(std::string_view key, std::string_view text);
    JsonObjectWriter& member(std::string_view key, const std::string& text) {
        return member(key, std::string_view(text));
    }
    JsonObjectWriter& member(std::string_view key, const char* text) { return member(key, std::string_view(text)); }
    JsonObjectWriter& member(std::string_view key, bool value);
    JsonObjectWriter& member(std::string_view key, std::int64_t value);
    JsonObjectWriter& member(std::string_view key, const nlohmann::json& value);
    // Opens a nested object under `key`; write its members, then `close` it.
    JsonObjectWriter object(std::string_view key);
    void close();

private:
    void start_member(std::string_view key);

    std::string& m_out;
    bool m_first = true;
};

} // namespace pheu::common
