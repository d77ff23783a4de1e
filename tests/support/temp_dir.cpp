#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <stdexcept>

namespace pheu::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pheu-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

} // namespace pheu::testing
