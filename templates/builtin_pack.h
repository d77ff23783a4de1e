#pragma once
// The built-in Vietnamese pack: templates, voucher campaigns, the default shop profile and
// the default playbook, read from the compiled-in files of templates/builtin/.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
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

// Whether a shop's copy is one the pack has shipped (builtin/released.txt, written by
// scripts/released_pack.py from the repository's history): a copy the shop never edited,
// which may follow the pack. `body` as stored; `playbook` as the seed stores it (dump()).
bool is_released_body(std::string_view template_id, std::string_view body);
bool is_released_playbook(std::string_view playbook);

} // namespace pheu::templates
