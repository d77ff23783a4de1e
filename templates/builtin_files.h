#pragma once
// The files of templates/builtin/, compiled in by CMake (see templates/CMakeLists.txt).
#include <string_view>
#include <vector>

namespace pheu::templates {

struct BuiltinFile {
    std::string_view name; // file name, e.g. "welcome_follow.mustache"
    std::string_view text;
};

const std::vector<BuiltinFile>& builtin_files();

} // namespace pheu::templates
