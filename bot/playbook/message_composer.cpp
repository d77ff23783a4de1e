#include "bot/playbook/message_composer.h"

#include "bot/playbook/catalog_answer.h"
#include "bot/playbook/messaging_settings.h"
#include "bot/stage.h"
#include "store/settings_store.h"
#include "templates/vn_format.h"

#include <algorithm>
#include <vector>

namespace pheu::bot {

using nlohmann::json;

namespace {

// Best sellers change slowly; recounting them for every message would scan every order item.
constexpr std::int64_t k_units_sold_ttl_ms = 60'000;
constexpr std::size_t k_list_length = 3;
// A product question is matched against this many products of the catalog at most.
constexpr std::size_t k_catalog_search_limit = 5000;

json cart_json(const std::string& stored) {
    const json cart = json::parse(stored, nullptr, false);
    if (!cart.is_object()) {
        return nullptr;
    }
    json items = json::array();
    std::int64_t total = 0;
    std::int64_t count = 0;
    for (const json& item : cart.value("items", json::array())) {
        if (!item.is_object()) {
            continue;
        }
        const std::int64_t quantity = item.value("quantity", std::int64_t{1});
        const std::int64_t price = item.value("price", std::int64_t{0});
        total += price * quantity;
        count += quantity;
        items.push_back({{"name", item.value("name", item.value("sku", std::string()))},
                         {"quantity", quantity},
                         {"price_text", templates::format_money_vnd(price)}});
    }
    return {{"items", items},
            {"item_count", count},
            {"url", cart.value("cart_url", std::string())},
            {"total_text", total > 0 ? templates::format_money_vnd(total) : std::string()}};
}

// Mustache shows a section for any string, even an empty one, so a field the shop left blank
// ({{#shop.website}} tại {{shop.website}}{{/shop.website}}) is taken out rather than shown empty.
void drop_empty_strings(json& value) {
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end();) {
            if (it->is_string() && it->get_ref<const std::string&>().empty()) {
                it = value.erase(it);
            } else {
                drop_empty_strings(*it);
                ++it;
            }
        }
    } else if (value.is_array()) {
        for (auto& item : value) {
            drop_empty_strings(item);
        }
    }
}

json limited_buttons(const json& buttons, Channel channel) {
    const std::size_t limit = channel == Channel::messenger ? k_messenger_max_buttons : k_zalo_max_buttons;
    json kept = json::array();
    for (const json& button : buttons) {
        if (kept.size() == limit) {
            break;
        }
        json copy = button;
        if (channel == Channel::messenger) {
            copy["title"] = templates::truncate_utf8(button.value("title", std::string()), k_messenger_button_title);
        }
        kept.push_back(std::move(copy));
    }
    return kept;
}

} // namespace

MessageComposer::MessageComposer(store::sql::Connection& db, templates::TemplateCache& cache,
                                 const common::ShopTime& clock, ConfigReads reads)
    : m_settings_store(db), m_cache(cache), m_clock(clock), m_templates(db), m_catalog(db), m_facts(db), m_reads(reads),
      m_config_version(db) {
    reload_shop();
}

void MessageComposer::reload_shop() {
    m_shop = load_shop_profile(m_settings_store);
    m_template_rows.clear();
    m_catalog_snapshot.reset();
}

void MessageComposer::check_config_version() {
    if (m_reads != ConfigReads::checked_per_use) {
        return;
    }
    if (const std::int64_t version = m_config_version.current(); version != m_kept_version) {
        m_template_rows.clear();
        m_catalog_snapshot.reset();
        m_kept_version = version;
    }
}

const CatalogSnapshot& MessageComposer::catalog() {
    check_config_version();
    if (!m_catalog_snapshot) {
        m_catalog_snapshot.emplace(m_catalog.all_products(), k_catalog_search_limit);
    }
    return *m_catalog_snapshot;
}

const store::TemplateRow* MessageComposer::template_row(const std::string& id) {
    check_config_version();
    auto found = m_template_rows.find(id);
    if (found == m_template_rows.end()) {
        found = m_template_rows.emplace(id, m_templates.get(id)).first;
    }
    return found->second ? &*found->second : nullptr;
}

const std::map<std::string, std::int64_t>& MessageComposer::units_sold(std::int64_t now) {
    if (m_units_sold_at < 0 || now - m_units_sold_at > k_units_sold_ttl_ms || now < m_units_sold_at) {
        m_units_sold = m_catalog.units_sold();
        m_units_sold_at = now;
    }
    return m_units_sold;
}

std::optional<CatalogProduct> MessageComposer::product_tip(std::int64_t customer_id, std::int64_t now) {
    TipInputs inputs;
    inputs.catalog = catalog().in_stock();
    if (inputs.catalog.empty()) {
        return std::nullopt;
    }
    auto history = m_catalog.purchase_history(customer_id);
    inputs.bought = std::move(history.bought);
    inputs.just_bought = std::move(history.latest_order);
    inputs.favourite_category = std::move(history.favourite_category);
    inputs.bought_together = m_catalog.bought_together(inputs.bought);
    inputs.sales = units_sold(now);
    return choose_product_tip(inputs);
}

json MessageComposer::product_json(const CatalogProduct& product) const {
    return {{"sku", product.sku},
            {"name", product.name},
            {"category", product.category},
            {"price", product.price},
            {"price_text", templates::format_money_vnd(product.price)},
            {"url", product.url},
            {"image_url", product.image_url}};
}

json MessageComposer::best_sellers(std::int64_t now) {
    std::vector<std::pair<std::int64_t, std::string>> ranked;
    for (const auto& [sku, units] : units_sold(now)) {
        ranked.emplace_back(-units, sku);
    }
    std::sort(ranked.begin(), ranked.end());
    json products = json::array();
    for (const auto& [negative_units, sku] : ranked) {
        if (products.size() == k_list_length) {
            break;
        }
        if (const auto* row = catalog().product(sku); row && row->in_stock) {
            products.push_back(product_json(*row));
        }
    }
    if (products.empty()) { // a shop without sales yet shows its catalog
        for (const auto& row : catalog().first(k_list_length)) {
            if (row.in_stock) {
                products.push_back(product_json(row));
            }
        }
    }
    return products;
}

bool MessageComposer::names_catalog_products(std::string_view message) {
    return !products_named_in(message, catalog().searchable(), 1).empty(); // empty when it names no product word
}

std::optional<json> MessageComposer::catalog_answer(std::int64_t customer_id, std::string_view question) {
    std::vector<CatalogProduct> products;
    if (names_a_product(question)) {
        products = products_named_in(question, catalog().searchable(), k_list_length);
    } else {
        // "giá bao nhiêu", "còn hàng không": the product they last looked at or asked about.
        for (const auto& sku : m_catalog.viewed_skus(customer_id, 1)) {
            if (const auto* row = catalog().product(sku)) {
                products.push_back(*row);
            }
        }
    }
    if (products.empty()) {
        return std::nullopt;
    }
    json listed = json::array();
    for (const auto& product : products) {
        json item = product_json(product);
        item["stock_text"] = product.in_stock ? "còn hàng" : "tạm hết hàng";
        listed.push_back(std::move(item));
    }
    json answer = {{"one", listed.size() == 1}, {"products", std::move(listed)}};
    drop_empty_strings(answer);
    return answer;
}

json MessageComposer::sample_context(std::int64_t now) {
    json context = known_fields(now);
    drop_empty_strings(context);
    return context;
}

json MessageComposer::known_fields(std::int64_t now) {
    json products = best_sellers(now);
    const json product = products.empty() ? json{{"sku", "AO-01"},
                                                 {"name", "Áo thun basic"},
                                                 {"price", 199000},
                                                 {"price_text", templates::format_money_vnd(199000)},
                                                 {"url", "https://shop.vn/ao-01"}}
                                          : products[0];
    json context = {
        {"customer",
         {{"id", "0"},
          {"name", "Nguyễn Thị Lan"},
          {"name_capitalized", "Nguyễn Thị Lan"},
          {"given_name", "Lan"},
          {"given_name_capitalized", "Lan"},
          {"honorific", "chị"},
          {"has_name", true},
          {"stage", "new_customer"},
          {"stage_label", stage_label_vi(Stage::new_customer)},
          {"orders_count", 1},
          {"total_spent", 450000},
          {"total_spent_text", templates::format_money_vnd(450000)},
          {"menu_seen_recently", false}}},
        {"shop", m_shop},
        {"voucher",
         {{"code", "MAU-2026"},
          {"description", "Mã mẫu: mã thật được cấp khi gửi tin"},
          {"campaign", "sample"},
          {"expires_on", m_clock.format_date(now + 14 * 24 * 3600 * 1000LL)}}},
        {"product", product},
        {"has_products", !products.empty()},
        {"products", products.empty() ? json::array({product}) : products},
        {"has_viewed", true},
        {"viewed", json::array({product})},
        {"cart",
         {{"items",
           {{{"name", product.value("name", "")}, {"quantity", 1}, {"price_text", product.value("price_text", "")}}}},
          {"item_count", 1},
          {"url", "https://shop.vn/gio-hang"},
          {"total_text", product.value("price_text", "")}}},
        {"order",
         {{"id", "DH-1001"},
          {"total", 450000},
          {"total_text", templates::format_money_vnd(450000)},
          {"placed_on", m_clock.format_date(now)}}},
        {"prize", {{"game", "vong-quay"}, {"result", "win"}, {"prize", "Giảm 50.000đ"}}},
        {"answer", {{"one", true}, {"products", json::array({product})}}},
        {"message", {{"has_measurements", false}, {"has_size", false}, {"names_size", false}, {"names_colour", false}}},
    };
    context["answer"]["products"][0]["stock_text"] = "còn hàng";
    return context;
}

bool remembered(std::optional<std::int64_t> at, std::int64_t now) {
    return at && *at <= now && now - *at < k_conversation_memory_ms;
}

std::optional<json> MessageComposer::context(std::int64_t customer_id,
                                             const std::optional<store::IssuedVoucher>& voucher,
                                             const std::optional<CatalogProduct>& product, std::int64_t now) {
    const auto customer = m_facts.facts(customer_id, static_cast<int>(k_list_length));
    if (!customer) {
        return std::nullopt;
    }
    const auto stage = parse_stage(customer->stage).value_or(Stage::new_lead);
    const std::string name = customer->name.value_or("");
    json context = {
        {"customer",
         {{"id", std::to_string(customer->customer_id)},
          {"name", templates::display_name(name)},
          {"name_capitalized", templates::capitalize_first(templates::display_name(name))},
          {"given_name", templates::given_name(name)},
          {"given_name_capitalized", templates::capitalize_first(templates::given_name(name))},
          {"honorific", templates::honorific(customer->gender.value_or(""))},
          {"has_name", !name.empty()},
          {"stage", stage_id(stage)},
          {"stage_label", stage_label_vi(stage)},
          {"orders_count", customer->orders_count},
          {"total_spent", customer->total_spent},
          {"total_spent_text", templates::format_money_vnd(customer->total_spent)},
          {"menu_seen_recently", remembered(customer->menu_shown_at, now)}}},
        {"shop", m_shop},
        // What the shopper's message, or one just before it, already told.
        {"message",
         {{"has_measurements", remembered(customer->measurements_told_at, now)},
          {"has_size", remembered(customer->size_told_at, now)}}},
    };
    if (voucher) {
        context["voucher"] = {{"code", voucher->code},
                              {"description", voucher->description},
                              {"campaign", voucher->campaign_id},
                              {"expires_on", m_clock.format_date(voucher->expires_at - 1)}};
    }
    json products = best_sellers(now);
    if (product) {
        context["product"] = product_json(*product);
        // The other best sellers: "shop gợi ý bạn Áo khoác…" then the same coat listed again
        // under "Đang bán chạy" read as a mistake.
        products.erase(std::remove_if(products.begin(), products.end(),
                                      [&](const json& seller) { return seller["sku"] == product->sku; }),
                       products.end());
    }
    context["has_products"] = !products.empty();
    context["products"] = std::move(products);
    json viewed = json::array();
    for (const auto& sku : customer->viewed_skus) {
        if (const auto* row = catalog().product(sku); row && row->in_stock) {
            viewed.push_back(product_json(*row));
        }
    }
    context["has_viewed"] = !viewed.empty();
    context["viewed"] = std::move(viewed);
    if (customer->cart_json) {
        if (json cart = cart_json(*customer->cart_json); !cart.is_null()) {
            context["cart"] = std::move(cart);
        }
    }
    if (const auto& order = customer->latest_order) {
        context["order"] = {{"id", order->order_id},
                            {"total", order->total},
                            {"total_text", templates::format_money_vnd(order->total)},
                            {"placed_on", m_clock.format_date(order->placed_at)}};
    }
    if (const auto& play = customer->latest_prize) {
        context["prize"] = {{"game", play->game_id}, {"result", play->result}, {"prize", play->prize}};
    }
    drop_empty_strings(context);
    return context;
}

std::variant<ComposedMessage, ComposeError> MessageComposer::compose(const std::string& template_id, Channel channel,
                                                                     const json& context) {
    const auto* row = template_row(template_id);
    if (row == nullptr) {
        return ComposeError{"unknown_template", "no template \"" + template_id + "\""};
    }
    return compose_body(*row, channel, context);
}

std::variant<ComposedMessage, ComposeError> MessageComposer::compose_body(const store::TemplateRow& row,
                                                                          Channel channel, const json& context) {
    auto parsed = m_cache.get(row.id, row.version, row.body);
    if (auto* error = std::get_if<templates::ParseError>(&parsed)) {
        return ComposeError{"template_error", "template \"" + row.id + "\" line " + std::to_string(error->line) +
                                                  ", column " + std::to_string(error->column) + ": " + error->message};
    }
    templates::RenderOptions options;
    options.escape_html = false; // chat text is plain text
    bool shows_menu = false;
    options.partials = [this, &shows_menu](const std::string& name) -> templates::TemplatePtr {
        shows_menu = shows_menu || name == k_menu_partial;
        const auto* partial = template_row(name);
        if (partial == nullptr) {
            return nullptr;
        }
        auto parsed_partial = m_cache.get(partial->id, partial->version, partial->body);
        auto* ready = std::get_if<templates::TemplatePtr>(&parsed_partial);
        return ready ? *ready : nullptr;
    };
    std::string text = std::get<templates::TemplatePtr>(parsed)->render(context, options);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    ComposedMessage message;
    message.text = templates::truncate_utf8(text, k_max_text_characters);
    message.shows_menu = shows_menu;
    const json buttons = json::parse(row.buttons_json, nullptr, false);
    if (buttons.is_array() && !buttons.empty()) {
        message.payload["buttons"] = limited_buttons(buttons, channel);
    }
    if (!row.image_url.empty()) {
        message.payload["image_url"] = row.image_url;
    }
    return message;
}

} // namespace pheu::bot
