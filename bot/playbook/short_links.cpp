#include "bot/playbook/short_links.h"

#include "common/crypto.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>

namespace pheu::bot {

namespace {

constexpr std::string_view k_base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t k_signature_length = 10;

bool ends_a_link(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '<' || c == '>';
}

// Punctuation a sentence puts after a link, which the link itself almost never ends with.
bool trails_a_link(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' || c == '}' ||
           c == '\'';
}

// Where the link starting at `start` ends (one past its last character).
std::size_t link_end(std::string_view text, std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && !ends_a_link(text[end])) {
        ++end;
    }
    while (end > start && trails_a_link(text[end - 1])) {
        --end;
    }
    return end;
}

std::size_t next_link(std::string_view text, std::size_t from) {
    const std::size_t http = text.find("http://", from);
    const std::size_t https = text.find("https://", from);
    return std::min(http, https);
}

std::string signature(std::string_view id_text, std::string_view secret) {
    return common::hmac_sha256_hex(secret, std::string("link:") + std::string(id_text)).substr(0, k_signature_length);
}

std::string base62(std::int64_t value) {
    std::string digits;
    auto rest = static_cast<std::uint64_t>(value);
    do {
        digits.insert(digits.begin(), k_base62[rest % 62]);
        rest /= 62;
    } while (rest > 0);
    return digits;
}

std::string url_encode(std::string_view text) {
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string encoded;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += c;
        } else {
            encoded += '%';
            encoded += k_hex[byte >> 4];
            encoded += k_hex[byte & 15];
        }
    }
    return encoded;
}

bool has_parameter(std::string_view query, std::string_view name) {
    std::size_t at = 0;
    while (at <= query.size()) {
        const std::size_t end = std::min(query.find('&', at), query.size());
        const std::string_view pair = query.substr(at, end - at);
        if (pair.substr(0, pair.find('=')) == name) {
            return true;
        }
        at = end + 1;
    }
    return false;
}

} // namespace

std::vector<std::string> links_in(std::string_view text) {
    std::vector<std::string> links;
    for (std::size_t start = next_link(text, 0); start != std::string_view::npos;) {
        const std::size_t end = link_end(text, start);
        links.emplace_back(text.substr(start, end - start));
        start = next_link(text, std::max(end, start + 1));
    }
    return links;
}

std::string replace_links(std::string_view text,
                          const std::function<std::optional<std::string>(const std::string& url)>& shorten) {
    std::string result;
    std::size_t copied = 0;
    for (std::size_t start = next_link(text, 0); start != std::string_view::npos;) {
        const std::size_t end = link_end(text, start);
        if (const auto replacement = shorten(std::string(text.substr(start, end - start)))) {
            result.append(text.substr(copied, start - copied));
            result += *replacement;
            copied = end;
        }
        start = next_link(text, std::max(end, start + 1));
    }
    result.append(text.substr(copied));
    return result;
}

std::string link_token(std::int64_t link_id, std::string_view secret) {
    const std::string id = base62(link_id);
    return id + signature(id, secret);
}

std::optional<std::int64_t> link_id_of(std::string_view token, std::string_view secret) {
    if (token.size() <= k_signature_length || token.size() > k_signature_length + 10) {
        return std::nullopt;
    }
    const std::string_view id = token.substr(0, token.size() - k_signature_length);
    std::uint64_t value = 0;
    for (char c : id) {
        const std::size_t digit = k_base62.find(c);
        if (digit == std::string_view::npos) {
            return std::nullopt;
        }
        value = value * 62 + digit;
    }
    // The signature is compared in constant time: a forger learns nothing from the timing.
    const std::string expected = signature(id, secret);
    const std::string_view given = token.substr(token.size() - k_signature_length);
    unsigned difference = 0;
    for (std::size_t i = 0; i < k_signature_length; ++i) {
        difference |= static_cast<unsigned>(expected[i] ^ given[i]);
    }
    if (difference != 0 || value > static_cast<std::uint64_t>(INT64_MAX)) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(value);
}

std::string with_utm(const std::string& url, const Utm& utm) {
    const std::size_t hash = url.find('#');
    const std::string fragment = hash == std::string::npos ? std::string() : url.substr(hash);
    std::string base = url.substr(0, hash);
    const std::size_t question = base.find('?');
    const std::string query = question == std::string::npos ? std::string() : base.substr(question + 1);
    const std::array<std::pair<const char*, std::string>, 3> parameters = {
        {{"utm_source", "pheu"}, {"utm_medium", utm.medium}, {"utm_campaign", utm.campaign}}};
    for (const auto& [name, value] : parameters) {
        if (value.empty() || has_parameter(query, name)) {
            continue;
        }
        if (base.find('?') == std::string::npos) {
            base += '?';
        } else if (base.back() != '?' && base.back() != '&') {
            base += '&';
        }
        base += std::string(name) + "=" + url_encode(value);
    }
    return base + fragment;
}

bool is_link_preview(std::string_view user_agent) {
    // Lower-cased (ASCII), then matched against the fetchers' names.
    std::string agent(user_agent);
    std::transform(agent.begin(), agent.end(), agent.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    constexpr std::array<std::string_view, 15> k_fetchers = {
        "facebookexternalhit", "facebot",    "zalo-link-preview", "zalobot",         "zalopreview",
        "telegrambot",         "twitterbot", "slackbot",          "whatsapp",        "discordbot",
        "googlebot",           "bingbot",    "linkedinbot",       "skypeuripreview", "embedly"};
    for (std::string_view fetcher : k_fetchers) {
        if (agent.find(fetcher) != std::string::npos) {
            return true;
        }
    }
    return agent.find("bot") != std::string::npos && agent.find("mozilla") == std::string::npos;
}

} // namespace pheu::bot
