#pragma once
// What is wrong with something a person or a program sent pheu: the one shape every parser of
// user input answers with (the events API, imports, templates, the playbook), and the one the
// HTTP layer turns into {"error":{"code","message","path"[,"line","column"]}}.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace pheu::common {

struct InputError {
    std::string code = "invalid_field";             // snake_case: invalid_field, invalid_template, too_many_rows…
    std::string message = {};                       // a sentence for a person
    std::string path = {};                          // JSON pointer of the field, e.g. /events/3/type; "" for the whole
    std::optional<std::size_t> line = std::nullopt; // where a text that does not parse went wrong (templates)
    std::optional<std::size_t> column = std::nullopt;
};

// Thrown by parsers that stop at the first bad field; its what() is "<path>: <message>" (the
// message alone for the whole input), so a log line names the field too.
class InputRejected : public std::runtime_error {
public:
    explicit InputRejected(InputError error)
        : std::runtime_error(error.path.empty() ? error.message : error.path + ": " + error.message),
          m_error(std::move(error)) {}
    const InputError& error() const { return m_error; }

private:
    InputError m_error;
};

} // namespace pheu::common
