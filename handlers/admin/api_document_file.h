#pragma once
// docs/openapi.json, compiled in by CMake (see handlers/CMakeLists.txt).
#include <string_view>
#include <vector>

namespace pheu::handlers {

struct ApiDocumentFile {
    std::string_view name; // "openapi.json"
    std::string_view text;
};

const std::vector<ApiDocumentFile>& api_document_files();

} // namespace pheu::handlers
