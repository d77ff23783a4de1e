// libFuzzer: arbitrary bytes as a shop-edited Mustache template (parsed, then rendered with
// a customer-like context and itself as a partial), as a playbook document and as a catalog
// CSV. Each refuses bad input with its own error, never another exception or a crash.
#include "bot/playbook/playbook.h"
#include "bot/playbook/product_csv.h"
#include "templates/mustache.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    auto parsed = pheu::templates::Template::parse(raw);
    if (auto* tmpl = std::get_if<pheu::templates::TemplatePtr>(&parsed)) {
        static const nlohmann::json context = {
            {"customer", {{"name", "Lan"}, {"stage", "new_lead"}, {"orders", 2}}},
            {"voucher", {{"code", "CHAO-7K2M"}, {"valid_until", "31/12/2026"}}},
            {"products", nlohmann::json::array({{{"name", "Áo thun"}, {"price", "199.000đ"}}})},
            {"list", nlohmann::json::array({1, 2, 3})},
            {"flag", true}};
        pheu::templates::RenderOptions options;
        options.escape_html = false;
        int depth = 0; // a template naming itself as a partial recurses; the engine must stop it
        options.partials = [&](const std::string&) -> pheu::templates::TemplatePtr {
            return ++depth < 8 ? *tmpl : nullptr;
        };
        (void)(*tmpl)->render(context, options);
    }
    const nlohmann::json document = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (!document.is_discarded()) {
        try {
            (void)pheu::bot::parse_playbook(document);
        } catch (const pheu::common::InputRejected&) {
        }
    }
    (void)pheu::bot::products_from_csv(std::string(raw));
    return 0;
}
