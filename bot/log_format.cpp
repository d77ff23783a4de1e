#include "bot/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace pheu::bot {

namespace {

void append_escaped(std::string_view text, spdlog::memory_buf_t& out) {
    static constexpr char k_hex[] = "0123456789abcdef";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            const char escaped[4] = {'\\', 'x', k_hex[byte >> 4], k_hex[byte & 0xf]};
            out.append(escaped, escaped + 4);
        } else {
            out.push_back(c);
        }
    }
}

// "%*" in the pattern: the message, escaped.
class EscapedMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
        append_escaped(std::string_view(message.payload.data(), message.payload.size()), out);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessage>(); }
};

} // namespace

std::string escape_control_characters(std::string_view text) {
    spdlog::memory_buf_t out;
    append_escaped(text, out);
    return std::string(out.data(), out.size());
}

void use_escaping_log_format() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<EscapedMessage>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %*");
    spdlog::set_formatter(std::move(formatter));
}

} // namespace pheu::bot
