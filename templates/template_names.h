#pragma once
// The names a shop's template uses, checked beyond what Mustache itself requires: Mustache
// takes any text as a name, so "{{customer.name}" (one brace missing) parsed and silently
// swallowed the text up to the next "}}". A shop's names are dotted words; anything else is
// a typo, reported with its line and column. A name no message's data ever holds
// ("{{khach.ten}}") renders as nothing: it is saved, with a warning.
#include "templates/mustache.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pheu::templates {

struct TemplateName {
    std::string name; // as written, e.g. "customer.given_name", "." or "name"
    std::size_t line = 0;
    std::size_t column = 0;
};

struct TemplateWarning {
    std::string name;
    std::size_t line = 0;
    std::size_t column = 0;
    std::string message;
};

// Every name of a variable, section or inverted section tag, in order; the first badly
// written one as a ParseError. Tags after a delimiter change ({{=<% %>=}}) are not read.
std::variant<std::vector<TemplateName>, ParseError> template_names(std::string_view source);

// The names that `sample` (the data a message is rendered with, e.g. the sample shopper's)
// never holds: neither from its top nor inside any object in it (a section's item).
std::vector<TemplateWarning> unknown_names(const std::vector<TemplateName>& names, const nlohmann::json& sample);

nlohmann::json warnings_json(const std::vector<TemplateWarning>& warnings);

} // namespace pheu::templates
