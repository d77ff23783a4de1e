#include "handlers/http/http_request_head.h"

#include <algorithm>

namespace pheu::handlers {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
           });
}

// RFC 9110 token characters, for methods and header names.
bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// A header value may hold any visible byte (UTF-8 included) and tabs, but no controls: a
// bare CR or a NUL is how request smuggling starts.
bool is_valid_field_value(std::string_view value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t') || byte == 0x7f;
    });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool parse_request_line(std::string_view line, RequestHead& head) {
    const auto first_space = line.find(' ');
    const auto last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || last_space == first_space) {
        return false;
    }
    const std::string_view method = line.substr(0, first_space);
    const std::string_view target = line.substr(first_space + 1, last_space - first_space - 1);
    const std::string_view version = line.substr(last_space + 1);
    if (!is_token(method) || target.empty() || target.front() != '/' || target.find(' ') != std::string_view::npos) {
        return false;
    }
    if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' || version[7] > '9') {
        return false;
    }
    if (std::any_of(target.begin(), target.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; })) {
        return false;
    }
    head.method = std::string(method);
    head.minor_version = version[7] - '0';
    const auto question = target.find('?');
    head.path = percent_decode(target.substr(0, question), /*plus_is_space=*/false);
    if (question != std::string_view::npos) {
        head.query_string = std::string(target.substr(question + 1));
    }
    return true;
}

} // namespace

std::string RequestHead::header(std::string_view name) const {
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
        if (iequals(it->first, name)) {
            return it->second;
        }
    }
    return {};
}

bool RequestHead::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& field) { return iequals(field.first, name); });
}

HeadParse parse_request_head(std::string_view received) {
    HeadParse result;
    const auto end = received.find("\r\n\r\n");
    const auto line_end = received.find("\r\n");
    if ((line_end == std::string_view::npos && received.size() > k_max_request_line) ||
        (line_end != std::string_view::npos && line_end > k_max_request_line)) {
        result.status = HeadStatus::uri_too_long;
        return result;
    }
    if (end == std::string_view::npos) {
        result.status = received.size() > k_max_request_head ? HeadStatus::too_large : HeadStatus::incomplete;
        return result;
    }
    if (end + 4 > k_max_request_head) {
        result.status = HeadStatus::too_large;
        return result;
    }
    result.status = HeadStatus::bad_request;
    if (!parse_request_line(received.substr(0, line_end), result.head)) {
        return result;
    }
    std::size_t position = line_end + 2;
    while (position < end + 2) {
        const auto next = received.find("\r\n", position);
        const std::string_view line = received.substr(position, next - position);
        position = next + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
            return result; // also refuses obsolete folding (a line starting with a space)
        }
        const std::string_view value = trim(line.substr(colon + 1));
        if (!is_valid_field_value(value)) {
            return result;
        }
        result.head.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    result.status = HeadStatus::complete;
    result.head_length = end + 4;
    return result;
}

BodyFraming body_framing(const RequestHead& head) {
    BodyFraming framing;
    const bool has_transfer_encoding = head.has_header("Transfer-Encoding");
    const bool has_length = head.has_header("Content-Length");
    if (has_transfer_encoding) {
        // Both at once is the classic smuggling shape: refuse rather than pick one.
        framing.kind = has_length ? BodyFraming::Kind::invalid : BodyFraming::Kind::chunked;
        return framing;
    }
    if (!has_length) {
        return framing;
    }
    std::string last_value;
    for (const auto& [name, value] : head.headers) {
        if (!iequals(name, "Content-Length")) {
            continue;
        }
        if (!last_value.empty() && value != last_value) {
            framing.kind = BodyFraming::Kind::invalid; // two different lengths
            return framing;
        }
        last_value = value;
    }
    if (last_value.empty() ||
        !std::all_of(last_value.begin(), last_value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        framing.kind = BodyFraming::Kind::invalid;
        return framing;
    }
    framing.kind = BodyFraming::Kind::length;
    for (const char c : last_value) {
        if (framing.length > (std::size_t{1} << 40)) {
            framing.length_overflows = true; // more than any body limit; stop before overflow
            break;
        }
        framing.length = framing.length * 10 + static_cast<std::size_t>(c - '0');
    }
    return framing;
}

bool wants_keep_alive(const RequestHead& head) {
    const std::string connection = head.header("Connection");
    if (head.minor_version == 0) {
        return iequals(connection, "keep-alive");
    }
    return !iequals(connection, "close");
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                decoded.push_back(static_cast<char>(high * 16 + low));
                i += 2;
                continue;
            }
        }
        decoded.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
    return decoded;
}

std::optional<std::string> query_parameter(std::string_view query_string, std::string_view name) {
    while (!query_string.empty()) {
        const auto amp = query_string.find('&');
        const std::string_view pair = query_string.substr(0, amp);
        const auto equals = pair.find('=');
        if (percent_decode(pair.substr(0, equals), true) == name) {
            return equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), true);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query_string.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

} // namespace pheu::handlers
