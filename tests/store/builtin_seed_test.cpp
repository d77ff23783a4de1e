// The built-in pack at start: added where missing, and a copy the shop never edited (one the
// pack shipped before, templates/builtin/released.txt) brought up to the pack's, on both
// backends; a copy the shop edited is never touched.
#include "bot/playbook/builtin_seed.h"
#include "store/migrations.h"
#include "store/playbook_store.h"
#include "store/template_store.h"
#include "templates/builtin_pack.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace pheu;
using nlohmann::json;

namespace {

constexpr std::int64_t k_first_start = 1'795'000'000'000;
constexpr std::int64_t k_next_start = k_first_start + 86'400'000;

// product_answer as the pack shipped it until 2026-12-08, before it named the size or colour
// asked about.
const char* const k_product_answer_before = R"({{#answer.one}}
{{customer.given_name_capitalized}} ơi, shop gửi bạn thông tin sản phẩm:
{{/answer.one}}
{{^answer.one}}
{{customer.given_name_capitalized}} ơi, shop có những mẫu này:
{{/answer.one}}
{{#answer.products}}
• {{name}}: {{price_text}}, {{stock_text}}{{#url}}
  {{url}}{{/url}}
{{/answer.products}}
Bạn cần tư vấn thêm về size hay màu, cứ nhắn shop nhé!)";

// The pack's playbook without its rule for exchanges: the playbook of 2026-12-07.
std::string playbook_before_returns() {
    json playbook = templates::builtin_pack().playbook;
    json rules = json::array();
    for (const auto& rule : playbook["rules"]) {
        if (rule["id"] != "returns") {
            rules.push_back(rule);
        }
    }
    playbook["rules"] = rules;
    return playbook.dump();
}

const templates::BuiltinTemplate& pack_template(const std::string& id) {
    for (const auto& item : templates::builtin_pack().templates) {
        if (item.id == id) {
            return item;
        }
    }
    FAIL("no built-in template " << id);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("every body of the built-in pack is listed as released", "[store][golden]") {
    for (const auto& item : templates::builtin_pack().templates) {
        INFO(item.id << ": run python3 scripts/released_pack.py after changing a file of templates/builtin/");
        CHECK(templates::is_released_body(item.id, item.body));
    }
    INFO("playbook.json: run python3 scripts/released_pack.py after changing it");
    CHECK(templates::is_released_playbook(templates::builtin_pack().playbook.dump()));
    CHECK(templates::is_released_body("product_answer", k_product_answer_before));
    CHECK(templates::is_released_playbook(playbook_before_returns()));
    CHECK_FALSE(templates::is_released_body("product_answer", "Chào {{customer.name}}"));
    CHECK_FALSE(templates::is_released_body("order_support", k_product_answer_before));
}

TEST_CASE("a built-in template or playbook the shop never edited follows the pack, an edited one stays as it is",
          "[store][golden]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    const auto first = bot::seed_builtin_pack(*db, k_first_start);
    CHECK(first.playbook);
    CHECK(first.templates_updated == 0);

    // A shop that started with the pack of 2026-12-07 and edited its order support reply;
    // its exchange rule did not exist yet.
    store::TemplateStore templates(*db);
    auto stored = *templates.get("product_answer");
    stored.body = k_product_answer_before;
    templates.update(stored, k_first_start);
    stored = *templates.get("order_support");
    stored.body = "Dạ Lan Boutique nhận rồi ạ, chị chờ em kiểm tra đơn nhé!";
    stored.buttons_json = R"([{"title":"Gọi shop","payload":"SHOP_INFO"}])";
    templates.update(stored, k_first_start);
    auto product_answer = *templates.get("product_answer");
    product_answer.buttons_json = R"([{"title":"Xem shop","url":"https://lan.vn"}])";
    templates.update(product_answer, k_first_start); // buttons of its own, the body untouched
    store::PlaybookStore playbooks(*db);
    playbooks.put(playbook_before_returns(), k_first_start);

    const auto next = bot::seed_builtin_pack(*db, k_next_start);
    CHECK(next.templates == 0);
    CHECK(next.templates_updated == 1);
    CHECK(next.playbook_updated);
    const auto upgraded = *templates.get("product_answer");
    CHECK(upgraded.body == pack_template("product_answer").body);
    CHECK(upgraded.buttons_json == R"([{"title":"Xem shop","url":"https://lan.vn"}])");
    CHECK(templates.versions("product_answer").size() == 4);
    CHECK(templates.get("order_support")->body == "Dạ Lan Boutique nhận rồi ạ, chị chờ em kiểm tra đơn nhé!");
    CHECK(*playbooks.get() == templates::builtin_pack().playbook.dump());

    // A playbook the shop changed (a longer fallback cooldown) is theirs.
    json edited = json::parse(playbook_before_returns());
    for (auto& rule : edited["rules"]) {
        if (rule["id"] == "fallback") {
            rule["cooldown_hours"] = 24;
        }
    }
    playbooks.put(edited.dump(), k_next_start);
    const auto again = bot::seed_builtin_pack(*db, k_next_start + 1);
    CHECK_FALSE(again.playbook_updated);
    CHECK(again.templates_updated == 0);
    CHECK(*playbooks.get() == edited.dump());
}
