#include "tests/support/exchange_log.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace pheu::testing {

void record_exchange(const std::string& method, const std::string& path, const httplib::Result& result) {
    const char* file = std::getenv("PHEU_EXCHANGE_LOG");
    if (file == nullptr || *file == '\0' || !result) {
        return;
    }
    const std::string line = nlohmann::json{{"method", method},
                                            {"path", path},
                                            {"status", result->status},
                                            {"content_type", result->get_header_value("Content-Type")},
                                            {"body", result->body}}
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                             "\n";
    // One write with O_APPEND per line: the test processes CTest runs side by side never
    // interleave within a line.
    const int descriptor = ::open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (descriptor < 0) {
        return;
    }
    [[maybe_unused]] const auto written = ::write(descriptor, line.data(), line.size());
    ::close(descriptor);
}

} // namespace pheu::testing
