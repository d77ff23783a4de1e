#pragma once
// The files of web/admin/, compiled in by CMake (see handlers/CMakeLists.txt).
#include <string_view>
#include <vector>

namespace pheu::handlers {

struct ConsoleFile {
    std::string_view name; // e.g. "app.js"
    std::string_view text;
};

const std::vector<ConsoleFile>& console_files();

} // namespace pheu::handlers
