#pragma once
// What a shop may save as a template: a Mustache body that parses, optional buttons (a title
// and either a URL or a payload; at most 5, of which Messenger shows 3) and an optional image.
// Checked here, before anything is stored.
#include "common/input_error.h"
#include "templates/template_names.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pheu::templates {

inline constexpr std::size_t k_max_buttons = 5;
inline constexpr std::size_t k_max_button_title = 40;

struct TemplateContent {
    std::string purpose;
    std::string body;
    nlohmann::json buttons = nlohmann::json::array();
    std::string image_url;
    std::vector<TemplateName> names; // the body's variable and section names, for warnings
};

// Reads {"body": …, "purpose"?, "buttons"?, "image_url"?}; fields left out keep `current`'s.
// An error's code is invalid_template (the body does not parse; line and column say where) or
// invalid_field.
std::variant<TemplateContent, common::InputError> parse_template_update(const nlohmann::json& request,
                                                                        const TemplateContent& current);

} // namespace pheu::templates
