#include "templates/template_cache.h"

#include <mutex>

namespace pheu::templates {

std::variant<TemplatePtr, ParseError> TemplateCache::get(const std::string& id, std::int64_t version,
                                                         const std::string& body) {
    {
        std::shared_lock lock(m_mutex);
        auto found = m_entries.find(id);
        if (found != m_entries.end() && found->second.version == version) {
            return found->second.parsed;
        }
    }
    auto parsed = Template::parse(body);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        return *error;
    }
    TemplatePtr result = std::get<TemplatePtr>(parsed);
    if (version < 0) {
        return result;
    }
    std::unique_lock lock(m_mutex);
    Entry& entry = m_entries[id];
    if (entry.version <= version) { // never replace a newer version parsed meanwhile
        entry = Entry{version, result};
    }
    return result;
}

} // namespace pheu::templates
