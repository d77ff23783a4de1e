#pragma once
// The message of a captured exception, for a log line: what() when it has one.
#include <exception>
#include <string>

namespace pheu::handlers {

inline std::string exception_text(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& exception) {
        return exception.what();
    } catch (...) {
        return "unknown exception";
    }
}

} // namespace pheu::handlers
