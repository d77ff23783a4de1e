#pragma once
// Parsed templates shared by every thread: a template is parsed once per version and the
// parsed form is immutable, so the worker, the scheduler and previews render it
// concurrently. An edit raises the version, which replaces the entry.
#include "templates/mustache.h"

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>

namespace pheu::templates {

class TemplateCache {
public:
    // The parsed template for this id and version, parsing `body` on a miss. Returns the
    // parse error for a body that does not parse (stored bodies were checked when saved).
    // A negative version (an unsaved preview) is parsed and never cached.
    std::variant<TemplatePtr, ParseError> get(const std::string& id, std::int64_t version, const std::string& body);

private:
    struct Entry {
        std::int64_t version = 0;
        TemplatePtr parsed;
    };
    std::shared_mutex m_mutex;
    std::map<std::string, Entry, std::less<>> m_entries;
};

} // namespace pheu::templates
