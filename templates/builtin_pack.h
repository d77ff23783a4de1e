#pragma once
// The built-in Vietnamese pack: templates, voucher campaigns, the default shop profile and
// the default playbook, read from the compiled-in files of templates/builtin/.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pheu::templates {

struct BuiltinTemplate {
    std::string id;
    std::string purpose;
    std::string body; // from builtin/<id>.mustache, without its final newline
    nlohmann::json buttons = nlohmann::json::array();
    std::string image_url;
};

struct BuiltinPack {
    nlohmann::json shop; // default shop profile (settings key "shop")
    std::vector<BuiltinTemplate> templates;
    nlohmann::json campaigns; // array of voucher campaigns
    nlohmann::json playbook;  // {"rules":[…],"journeys":[…]}
};

// Parsed once. Throws std::logic_error if the compiled-in files are inconsistent (a
// template listed without its body), which the unit tests rule out.
const BuiltinPack& builtin_pack();

} // namespace pheu::templates
