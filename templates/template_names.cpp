#include "templates/template_names.h"

#include <set>

namespace pheu::templates {

namespace {

bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// "." or words of letters, digits, '_' and '-' joined by single dots.
bool is_valid_name(std::string_view name) {
    if (name == ".") {
        return true;
    }
    if (name.empty() || name.front() == '.' || name.back() == '.') {
        return false;
    }
    char previous = 0;
    for (char c : name) {
        if (c == '.' ? previous == '.' : !is_name_character(c)) {
            return false;
        }
        previous = c;
    }
    return true;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Line and column (1-based, in characters) of byte `offset`.
std::pair<std::size_t, std::size_t> position_of(std::string_view source, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
        if (source[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

void collect_paths(const nlohmann::json& value, const std::string& prefix, std::set<std::string>& paths) {
    if (!value.is_object()) {
        return;
    }
    for (const auto& [key, child] : value.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        paths.insert(path);
        collect_paths(child, path, paths);
    }
}

// Every dotted path that resolves from the top or from any object within `value`.
void collect_all_paths(const nlohmann::json& value, std::set<std::string>& paths) {
    if (value.is_object()) {
        collect_paths(value, "", paths);
        for (const auto& [key, child] : value.items()) {
            collect_all_paths(child, paths);
        }
    } else if (value.is_array()) {
        for (const auto& item : value) {
            collect_all_paths(item, paths);
        }
    }
}

} // namespace

std::variant<std::vector<TemplateName>, ParseError> template_names(std::string_view source) {
    std::vector<TemplateName> names;
    std::size_t at = 0;
    while ((at = source.find("{{", at)) != std::string_view::npos) {
        const std::size_t start = at;
        const bool triple = source.compare(at, 3, "{{{") == 0;
        const std::string_view closing = triple ? "}}}" : "}}";
        const std::size_t content_start = at + (triple ? 3 : 2);
        const std::size_t end = source.find(closing, content_start);
        if (end == std::string_view::npos) {
            break; // Mustache's own parser reports an unclosed tag
        }
        std::string_view content = trimmed(source.substr(content_start, end - content_start));
        at = end + closing.size();
        if (content.empty()) {
            continue;
        }
        const char sigil = content.front();
        if (sigil == '!') {
            continue; // a comment
        }
        if (sigil == '=') {
            break; // a delimiter change: what follows uses other delimiters
        }
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&' || sigil == '>' || sigil == '<' ||
            sigil == '$') {
            content = trimmed(content.substr(1));
        }
        if (sigil == '>' || sigil == '<') {
            continue; // a partial names a template, checked where it is looked up
        }
        if (!is_valid_name(content)) {
            const auto [line, column] = position_of(source, start);
            const bool brace =
                content.find('}') != std::string_view::npos || content.find('{') != std::string_view::npos;
            return ParseError{brace ? "this tag is not closed with \"}}\" where it should be: a brace is missing"
                                    : "\"" + std::string(content) +
                                          "\" is not a name: use words of letters, digits and _ joined by dots, "
                                          "such as customer.given_name",
                              line, column};
        }
        if (sigil != '/' && content != ".") {
            const auto [line, column] = position_of(source, start);
            names.push_back(TemplateName{std::string(content), line, column});
        }
    }
    return names;
}

std::vector<TemplateWarning> unknown_names(const std::vector<TemplateName>& names, const nlohmann::json& sample) {
    std::set<std::string> known;
    collect_all_paths(sample, known);
    std::vector<TemplateWarning> warnings;
    for (const auto& name : names) {
        if (known.count(name.name) == 0) {
            warnings.push_back(TemplateWarning{name.name, name.line, name.column,
                                               "no message has \"" + name.name + "\": it will show as nothing"});
        }
    }
    return warnings;
}

nlohmann::json warnings_json(const std::vector<TemplateWarning>& warnings) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& warning : warnings) {
        list.push_back(
            {{"name", warning.name}, {"line", warning.line}, {"column", warning.column}, {"message", warning.message}});
    }
    return list;
}

} // namespace pheu::templates
