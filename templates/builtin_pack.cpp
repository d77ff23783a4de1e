#include "templates/builtin_pack.h"

#include "templates/builtin_files.h"

#include <stdexcept>

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

} // namespace

const BuiltinPack& builtin_pack() {
    static const BuiltinPack pack = load();
    return pack;
}

} // namespace pheu::templates
