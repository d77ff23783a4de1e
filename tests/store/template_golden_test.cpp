// Golden tests: every built-in template rendered for two sample customers, compared with the
// texts in tests/data/golden/. After changing a template on purpose, regenerate them with
//   PHEU_UPDATE_GOLDEN=1 build-test/tests/pheu_tests "[golden]"
// and read the diff before committing it.
#include "bot/playbook/builtin_seed.h"
#include "bot/playbook/message_composer.h"
#include "store/migrations.h"
#include "store/catalog_store.h"
#include "store/customer_store.h"
#include "store/database.h"
#include "store/order_store.h"
#include "templates/builtin_pack.h"
#include "templates/template_cache.h"
#include "templates/vn_format.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace pheu;
using nlohmann::json;

namespace {

constexpr std::int64_t k_now = 1'795'424'400'000; // 2026-11-23T09:00:00Z, 16:00 in Ho Chi Minh City
constexpr std::int64_t k_day = 24LL * 3600 * 1000;

std::string golden_path(const std::string& name) {
    return std::string(PHEU_GOLDEN_DIR) + "/" + name + ".txt";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Lan: named, bought a shirt (others buy jeans with it), left a cart, viewed the jeans,
// won a prize. The second customer is known by nothing but a Zalo id.
struct Samples {
    std::int64_t lan = 0;
    std::int64_t stranger = 0;
};

Samples fill_shop(store::sql::Connection& db) {
    store::CatalogStore catalog(db);
    catalog.upsert({"AO-1", "Áo thun basic", "ao", 199000, "https://shop.vn/ao-1", "", true}, k_now);
    catalog.upsert({"QUAN-1", "Quần jean ống suông", "quan", 459000, "https://shop.vn/quan-1", "", true}, k_now);
    catalog.upsert({"NON-1", "Nón lưỡi trai", "phu_kien", 99000, "", "", true}, k_now);
    store::CustomerStore customers(db);
    store::OrderStore orders(db);
    Samples samples;
    samples.lan = customers.create(k_now, k_now - 40 * k_day, "zalo");
    customers.add_identity("zalo", "zalo-lan", "oa-1", samples.lan, k_now);
    store::ProfileUpdate profile;
    profile.name = "Nguyễn Thị Lan"; // greeted by the given name: "Lan ơi"
    profile.birthday = "24/11/1995";
    customers.update_profile(samples.lan, profile);
    customers.set_cart(
        samples.lan,
        json{{"cart_url", "https://shop.vn/cart/9"},
             {"items", {{{"sku", "QUAN-1"}, {"name", "Quần jean ống suông"}, {"price", 459000}, {"quantity", 2}}}}}
            .dump());
    orders.record_purchase({"lan-1", samples.lan, k_now - 3 * k_day, 199000, "[]", ""}, k_now);
    catalog.record_order_items("lan-1", {{"AO-1", "ao", 1}});
    const std::int64_t other = customers.create(k_now, k_now, "events_api");
    orders.record_purchase({"other-1", other, k_now - 5 * k_day, 658000, "[]", ""}, k_now);
    catalog.record_order_items("other-1", {{"AO-1", "ao", 1}, {"QUAN-1", "quan", 1}});
    orders.record_product_view(samples.lan, "QUAN-1", k_now - k_day);
    orders.record_game_play(samples.lan, "vong-quay", "win", "Voucher 50.000đ", k_now - 2 * k_day);
    samples.stranger = customers.create(k_now, k_now, "zalo");
    customers.add_identity("zalo", "zalo-stranger", "oa-1", samples.stranger, k_now);
    return samples;
}

// The pack seeded into a fresh database with the sample customers, and a composer over it.
struct SampleShop {
    testing::TempDir dir;
    std::unique_ptr<store::sql::Connection> db = store::open_and_migrate(dir.file("golden.db"));
    Samples samples = (bot::seed_builtin_pack(*db, k_now), fill_shop(*db));
    templates::TemplateCache cache;
    pheu::common::ShopTime clock{"Asia/Ho_Chi_Minh"};
    bot::MessageComposer composer{*db, cache, clock};
};

} // namespace

TEST_CASE("every built-in template renders as the golden texts say", "[store][golden]") {
    SampleShop shop;
    auto& composer = shop.composer;
    const Samples& samples = shop.samples;
    const store::IssuedVoucher voucher{"CHAO-7K2Q", "first_order", "Giảm 10% cho đơn hàng đầu tiên",
                                       k_now + 14 * k_day};
    const bool update = std::getenv("PHEU_UPDATE_GOLDEN") != nullptr;

    const auto tip = composer.product_tip(samples.lan, k_now);
    REQUIRE(tip);
    CHECK(tip->sku == "QUAN-1"); // bought together with Lan's shirt

    for (const auto& item : templates::builtin_pack().templates) {
        const std::pair<std::string, std::optional<json>> cases[] = {
            {"lan", composer.context(samples.lan, voucher, tip, k_now)},
            {"stranger", composer.context(samples.stranger, std::nullopt, std::nullopt, k_now)},
        };
        for (const auto& [sample, context] : cases) {
            const std::string name = item.id + "." + sample;
            INFO(name);
            REQUIRE(context);
            auto composed = composer.compose(item.id, bot::Channel::zalo, *context);
            REQUIRE(std::holds_alternative<bot::ComposedMessage>(composed));
            const std::string text = std::get<bot::ComposedMessage>(composed).text + "\n";
            CHECK(text.find("{{") == std::string::npos);
            CHECK(text.find("\n\n") == std::string::npos); // no blank line left by an empty section
            CHECK(text.front() != '\n');
            if (update) {
                std::ofstream(golden_path(name), std::ios::binary) << text;
                continue;
            }
            CHECK(text == read_file(golden_path(name)));
        }
    }
}

TEST_CASE("Messenger shows at most 3 buttons with short titles", "[store][golden]") {
    SampleShop shop;
    auto& db = shop.db;
    auto& composer = shop.composer;
    const Samples& samples = shop.samples;
    db->execute(
        "UPDATE templates SET buttons = '[{\"title\":\"Một\",\"payload\":\"A\"},{\"title\":\"Hai\",\"payload\":\"B\"},"
        "{\"title\":\"Ba\",\"payload\":\"C\"},{\"title\":\"Bốn: một tiêu đề rất dài cho nút\",\"payload\":\"D\"}]' "
        "WHERE id = 'help_menu'");
    const auto context = composer.context(samples.lan, std::nullopt, std::nullopt, k_now);
    const auto messenger =
        std::get<bot::ComposedMessage>(composer.compose("help_menu", bot::Channel::messenger, *context));
    CHECK(messenger.payload["buttons"].size() == 3);
    const auto zalo = std::get<bot::ComposedMessage>(composer.compose("help_menu", bot::Channel::zalo, *context));
    CHECK(zalo.payload["buttons"].size() == 4);
    CHECK(zalo.payload["buttons"][3]["title"] == "Bốn: một tiêu đề rất dài cho nút");

    // A body rendering past 2000 characters is cut, on a character boundary.
    db->execute("UPDATE templates SET body = '{{#products}}Sản phẩm rất đẹp {{name}}. {{/products}}"
                "{{#products}}Sản phẩm rất đẹp {{name}}. {{/products}}', version = 2 WHERE id = 'help_menu'");
    db->execute("UPDATE templates SET body = body || body || body || body || body || body || body || body, version = 3 "
                "WHERE id = 'help_menu'");
    db->execute("UPDATE templates SET body = body || body || body || body, version = 4 WHERE id = 'help_menu'");
    const auto long_text =
        std::get<bot::ComposedMessage>(composer.compose("help_menu", bot::Channel::zalo, *context)).text;
    CHECK(templates::utf8_length(long_text) == 2000);
    CHECK(long_text.substr(long_text.size() - 3) == "…");
}
