#include "templates/template_model.h"

#include "templates/mustache.h"
#include "templates/vn_format.h"

namespace pheu::templates {

using nlohmann::json;

namespace {

common::InputError field_error(const std::string& path, const std::string& message) {
    return {.message = message, .path = path};
}

common::InputError body_error(const char* what, const ParseError& error) {
    return {.code = "invalid_template",
            .message = std::string(what) + " at line " + std::to_string(error.line) + ", column " +
                       std::to_string(error.column) + ": " + error.message,
            .path = "/body",
            .line = error.line,
            .column = error.column};
}

bool is_web_url(const std::string& url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::optional<common::InputError> check_buttons(const json& buttons) {
    if (!buttons.is_array()) {
        return field_error("/buttons", "buttons must be an array");
    }
    if (buttons.size() > k_max_buttons) {
        return field_error("/buttons", "at most " + std::to_string(k_max_buttons) + " buttons");
    }
    for (std::size_t i = 0; i < buttons.size(); ++i) {
        const std::string path = "/buttons/" + std::to_string(i);
        const json& button = buttons[i];
        if (!button.is_object()) {
            return field_error(path, "a button is an object with a title and a url or a payload");
        }
        const auto title = button.find("title");
        if (title == button.end() || !title->is_string() || title->get<std::string>().empty() ||
            utf8_length(title->get<std::string>()) > k_max_button_title) {
            return field_error(path + "/title",
                               "a button title is 1 to " + std::to_string(k_max_button_title) + " characters");
        }
        const bool has_url = button.contains("url");
        const bool has_payload = button.contains("payload");
        if (has_url == has_payload) {
            return field_error(path, "a button has either a url or a payload");
        }
        if (has_url && (!button["url"].is_string() || !is_web_url(button["url"].get<std::string>()))) {
            return field_error(path + "/url", "url must start with https:// or http://");
        }
        if (has_payload && (!button["payload"].is_string() || button["payload"].get<std::string>().empty())) {
            return field_error(path + "/payload", "payload must be a non-empty string");
        }
    }
    return std::nullopt;
}

} // namespace

std::variant<TemplateContent, common::InputError> parse_template_update(const json& request,
                                                                        const TemplateContent& current) {
    TemplateContent content = current;
    const auto body = request.find("body");
    if (body == request.end() || !body->is_string()) {
        return field_error("/body", "body must be the template's Mustache source, a string");
    }
    content.body = body->get<std::string>();
    auto parsed = Template::parse(content.body);
    if (const auto* error = std::get_if<ParseError>(&parsed)) {
        return body_error("The template does not parse", *error);
    }
    auto names = template_names(content.body);
    if (const auto* error = std::get_if<ParseError>(&names)) {
        return body_error("The template has a mistake", *error);
    }
    content.names = std::move(std::get<std::vector<TemplateName>>(names));
    if (auto purpose = request.find("purpose"); purpose != request.end()) {
        if (!purpose->is_string()) {
            return field_error("/purpose", "purpose must be a string");
        }
        content.purpose = purpose->get<std::string>();
    }
    if (auto buttons = request.find("buttons"); buttons != request.end()) {
        if (auto error = check_buttons(*buttons)) {
            return *error;
        }
        content.buttons = *buttons;
    }
    if (auto image = request.find("image_url"); image != request.end()) {
        if (image->is_null()) {
            content.image_url.clear();
        } else if (!image->is_string() || !is_web_url(image->get<std::string>())) {
            return field_error("/image_url", "image_url must start with https:// or http://, or be null");
        } else {
            content.image_url = image->get<std::string>();
        }
    }
    return content;
}

} // namespace pheu::templates
