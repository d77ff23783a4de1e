#include "templates/builtin_pack.h"

#include "common/crypto.h"
#include "templates/builtin_files.h"

#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace pheu::templates {

namespace {

std::string_view file_text(std::string_view name) {
    for (const auto& file : builtin_files()) {
        if (file.name == name) {
            return file.text;
        }
    }
    throw std::logic_error("templates/builtin/" + std::string(name) + " is missing from the build");
}

BuiltinPack load() {
    const auto index = nlohmann::json::parse(file_text("pack.json"));
    BuiltinPack pack;
    pack.shop = index.at("shop");
    pack.campaigns = index.at("campaigns");
    pack.playbook = nlohmann::json::parse(file_text("playbook.json"));
    for (const auto& entry : index.at("templates")) {
        BuiltinTemplate item;
        item.id = entry.at("id").get<std::string>();
        item.purpose = entry.value("purpose", std::string());
        item.buttons = entry.value("buttons", nlohmann::json::array());
        item.image_url = entry.value("image_url", std::string());
        std::string body(file_text(item.id + ".mustache"));
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
            body.pop_back();
        }
        item.body = std::move(body);
        pack.templates.push_back(std::move(item));
    }
    return pack;
}

// "<template id or playbook.json> <sha256 hex>" a line, "#" for comments.
std::set<std::pair<std::string, std::string>> load_released() {
    std::set<std::pair<std::string, std::string>> released;
    std::istringstream lines{std::string(file_text("released.txt"))};
    for (std::string line; std::getline(lines, line);) {
        const auto space = line.find(' ');
        if (line.empty() || line.front() == '#' || space == std::string::npos) {
            continue;
        }
        released.emplace(line.substr(0, space), line.substr(space + 1));
    }
    return released;
}

bool is_released(const std::string& name, std::string_view text) {
    static const auto released = load_released();
    return released.count({name, common::sha256_hex({text})}) > 0;
}

} // namespace

const BuiltinPack& builtin_pack() {
    static const BuiltinPack pack = load();
    return pack;
}

bool is_released_body(std::string_view template_id, std::string_view body) {
    return is_released(std::string(template_id), body);
}

bool is_released_playbook(std::string_view playbook) {
    return is_released("playbook.json", playbook);
}

} // namespace pheu::templates
