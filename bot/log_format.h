#pragma once
// How pheu's log lines are written. Much of what is logged comes from requests (paths,
// error texts quoting a body), and a request path is percent-decoded: "%0a" would end a log
// line and let the rest forge one ("[error] ..."), "%1b" would drive the reader's terminal.
// Every control character in a message is therefore written escaped, "\x0a".
#include <string>
#include <string_view>

namespace pheu::bot {

// The text with each byte below 0x20, and 0x7f, written as \xNN.
std::string escape_control_characters(std::string_view text);

// The default logger's lines: "[2026-12-06 10:00:00.123] [info] message", the message escaped.
void use_escaping_log_format();

} // namespace pheu::bot
