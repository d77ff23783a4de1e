#pragma once
// Turns a template and a customer into the message they would receive: gathers the render
// context (customer, shop, voucher, product tip, best sellers, viewed products, cart, latest
// order, game prize), renders the Mustache body as plain text, and applies the channel's
// limits (2000 characters; Messenger shows 3 buttons). Reads only, so previews use it too.
#include "bot/playbook/catalog_snapshot.h"
#include "bot/channel.h"
#include "bot/playbook/product_tips.h"
#include "common/shop_time.h"

#include "store/sql/connection.h"
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "store/catalog_store.h"
#include "store/config_version.h"
#include "store/message_facts.h"
#include "store/settings_store.h"
#include "store/template_store.h"
#include "store/voucher_store.h"
#include "templates/template_cache.h"

namespace pheu::bot {

inline constexpr std::size_t k_max_text_characters = 2000;
inline constexpr std::size_t k_messenger_max_buttons = 3;
inline constexpr std::size_t k_zalo_max_buttons = 5;
inline constexpr std::size_t k_messenger_button_title = 20;

// How long a conversation remembers what was shown and told in it. Within it, a shopper
// who was shown the menu finds `customer.menu_seen_recently` true (the built-in replies leave
// the list out rather than repeat it under the next answer), and one who named a size or gave
// their height and weight finds `message.has_size` / `message.has_measurements` true (they
// are not asked for them again).
inline constexpr std::int64_t k_conversation_memory_ms = 60LL * 60 * 1000;
// Pure: whether something shown or told at `at` is still remembered at `now`.
bool remembered(std::optional<std::int64_t> at, std::int64_t now);

// The partial that lists what a shopper can write ("khuyến mãi", "tư vấn"…).
inline constexpr const char* k_menu_partial = "menu";

struct ComposedMessage {
    std::string text;
    nlohmann::json payload = nlohmann::json::object(); // {"buttons":[…], "image_url":…}
    bool shows_menu = false;                           // the render included k_menu_partial
};

struct ComposeError {
    std::string code; // unknown_template | template_error | unknown_customer
    std::string message;
};

// A composer keeps the templates and catalog it read. Either it checks the shop's
// configuration version (store/config_version.h) on each use (previews, re-renders: always
// current), or it keeps them until reload_shop (the pipeline, which checks the version once
// per batch).
enum class ConfigReads { checked_per_use, kept_until_reload };

class MessageComposer {
public:
    MessageComposer(store::sql::Connection& db, templates::TemplateCache& cache, const common::ShopTime& clock,
                    ConfigReads reads = ConfigReads::checked_per_use);

    // Re-reads the shop profile, and forgets the templates and catalog read so far: called
    // when the shop's configuration changed (store/config_version.h).
    void reload_shop();

    // The recommended product for the customer (see choose_product_tip), if any.
    std::optional<CatalogProduct> product_tip(std::int64_t customer_id, std::int64_t now);

    // The answer to a product question, as the template's `answer`: {"products":[…], "one":
    // bool}, each product with `stock_text`. The products the question names, else the one the
    // customer last viewed or asked about; nullopt when there is none.
    std::optional<nlohmann::json> catalog_answer(std::int64_t customer_id, std::string_view question);
    // Whether the message names products of the shop's catalog (products_named_in).
    bool names_catalog_products(std::string_view message);

    // The render context; nullopt for an unknown customer.
    std::optional<nlohmann::json> context(std::int64_t customer_id, const std::optional<store::IssuedVoucher>& voucher,
                                          const std::optional<CatalogProduct>& product, std::int64_t now);

    // What a preview without a customer renders against: a sample shopper "Lan" with a
    // sample voucher, order, cart and prize, and the shop's real profile and best sellers.
    nlohmann::json sample_context(std::int64_t now);
    // Every name a message's data may hold, blank or not (the sample before blanks are taken
    // out): what a template's names are checked against.
    nlohmann::json known_fields(std::int64_t now);

    // Renders a stored template for the channel.
    std::variant<ComposedMessage, ComposeError> compose(const std::string& template_id, Channel channel,
                                                        const nlohmann::json& context);
    // Renders `body` (a preview of unsaved text) as the stored template `template_id` would.
    std::variant<ComposedMessage, ComposeError> compose_body(const store::TemplateRow& row, Channel channel,
                                                             const nlohmann::json& context);

private:
    // Forgets what was kept when the configuration version moved (checked_per_use).
    void check_config_version();
    const CatalogSnapshot& catalog();
    // The stored template, read once until the next reload_shop; null when there is none.
    const store::TemplateRow* template_row(const std::string& id);
    nlohmann::json product_json(const CatalogProduct& product) const;
    // Up to three best sellers in stock; the catalog's first products before any sale.
    nlohmann::json best_sellers(std::int64_t now);
    const std::map<std::string, std::int64_t>& units_sold(std::int64_t now);

    store::SettingsStore m_settings_store; // read again on every reload
    templates::TemplateCache& m_cache;
    const common::ShopTime& m_clock;
    store::TemplateStore m_templates;
    store::CatalogStore m_catalog;
    store::MessageFactsQuery m_facts;
    nlohmann::json m_shop;
    std::map<std::string, std::optional<store::TemplateRow>, std::less<>> m_template_rows;
    std::optional<CatalogSnapshot> m_catalog_snapshot;
    ConfigReads m_reads;
    store::ConfigVersion m_config_version;
    std::int64_t m_kept_version = -1;
    std::map<std::string, std::int64_t> m_units_sold;
    std::int64_t m_units_sold_at = -1;
};

} // namespace pheu::bot
