// libFuzzer: arbitrary bytes as the configuration file. Every problem must come out as a
// ConfigError naming it, never as another exception or a crash.
#include "app/config_file.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)pheu::app::parse_config(text, [](const std::string&) { return std::optional<std::string>(); });
    } catch (const pheu::app::ConfigError&) {
    }
    return 0;
}
