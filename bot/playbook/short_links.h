#pragma once
// Links in the messages pheu sends, as the shop's short links: `<public_base_url>/r/<token>`,
// which record the click and redirect to the link the shop wrote with UTM parameters added.
// Pure: finding links in a text, the signed token of a link's id, the redirect's URL, and
// telling a platform's link preview from a shopper's click.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::bot {

// The http(s) links in a text, as a reader sees them: up to the first space, without the
// punctuation that ends a sentence around them ("xem tại https://shop.vn/ao." → the URL
// without the full stop).
std::vector<std::string> links_in(std::string_view text);

// The text with each link `shorten` gives a replacement for replaced by it.
std::string replace_links(std::string_view text,
                          const std::function<std::optional<std::string>(const std::string& url)>& shorten);

// A link's token: its id in base 62 and ten characters of an HMAC of it under the shop's
// link secret, so ids cannot be guessed or walked. link_id_of is nullopt for a token pheu
// did not sign.
std::string link_token(std::int64_t link_id, std::string_view secret);
std::optional<std::int64_t> link_id_of(std::string_view token, std::string_view secret);

struct Utm {
    std::string medium;   // the channel: zalo, messenger
    std::string campaign; // the rule, journey step or broadcast
};

// The URL with utm_source=pheu, utm_medium and utm_campaign added to its query (before any
// fragment); parameters the shop wrote itself are kept and not repeated.
std::string with_utm(const std::string& url, const Utm& utm);

// True for the fetchers platforms and apps send to draw a link's preview (Facebook's,
// Zalo's, Telegram's, search engines…), which are not a shopper's click.
bool is_link_preview(std::string_view user_agent);

} // namespace pheu::bot
