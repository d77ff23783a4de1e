#include "templates/mustache.h"

#include <stdexcept>

namespace pheu::templates {

using nlohmann::json;

struct Node {
    enum class Kind { text, variable, section, inverted, partial, parent, block };
    Kind kind = Kind::text;
    std::string value; // the text, or the tag's name
    bool escape = true;
    bool dynamic = false;           // {{>*name}}: the name is looked up in the context
    std::string indent;             // standalone partial or parent: prepended to each of its lines; a block:
                                    // the blanks before its tag, the indentation an override takes there
    bool block_on_own_line = false; // a block whose opening tag stands alone: its content starts a line
    Nodes children;
    std::string raw; // a section's source between its tags, for lambdas
    std::string open_delimiter;
    std::string close_delimiter;
};

namespace {

// ---------------------------------------------------------------- parsing

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::string trim(std::string_view text) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && (is_blank(text[begin]) || text[begin] == '\n' || text[begin] == '\r')) {
        ++begin;
    }
    while (end > begin && (is_blank(text[end - 1]) || text[end - 1] == '\n' || text[end - 1] == '\r')) {
        --end;
    }
    return std::string(text.substr(begin, end - begin));
}

struct Position {
    std::size_t line;
    std::size_t column;
};

Position position_of(std::string_view source, std::size_t offset) {
    Position position{1, 1};
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
        if (source[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++position.column; // UTF-8 continuation bytes do not start a character
        }
    }
    return position;
}

struct Failure {
    ParseError error;
};

class Parser {
public:
    Parser(std::string_view source, std::string open, std::string close)
        : m_source(source), m_open(std::move(open)), m_close(std::move(close)) {}

    Nodes parse() {
        Nodes root;
        struct Frame {
            Nodes* nodes;
            Node* owner;
            std::size_t content_start;
            std::size_t tag_offset;
        };
        std::vector<Frame> stack{{&root, nullptr, 0, 0}};
        std::string text;
        std::size_t pos = 0;
        auto flush_text = [&] {
            if (!text.empty()) {
                Node node;
                node.value = std::move(text);
                stack.back().nodes->push_back(std::move(node));
                text.clear();
            }
        };
        while (pos < m_source.size()) {
            const std::size_t tag_start = m_source.find(m_open, pos);
            if (tag_start == std::string_view::npos) {
                text.append(m_source.substr(pos));
                break;
            }
            text.append(m_source.substr(pos, tag_start - pos));
            std::size_t content_start = tag_start + m_open.size();
            char sigil = content_start < m_source.size() ? m_source[content_start] : '\0';
            std::string closing = m_close;
            if (sigil == '{') {
                closing = "}" + m_close;
            } else if (sigil == '=') {
                closing = "=" + m_close;
            }
            // The opening sigil of {{{…}}} and {{=…=}} is never also the start of their closing
            // ("{{=}}" once read its "=" twice and stepped before the tag's start).
            const std::size_t search_from = closing.size() > m_close.size() ? content_start + 1 : content_start;
            const std::size_t close_at = m_source.find(closing, search_from);
            if (close_at == std::string_view::npos) {
                fail(tag_start, "this tag is never closed (expected \"" + m_close + "\")");
            }
            const std::size_t tag_end = close_at + closing.size();
            std::string_view inside = m_source.substr(content_start, close_at - content_start);
            const bool has_sigil =
                std::string_view("#^/>!=&{<$").find(sigil) != std::string_view::npos && sigil != '\0';
            if (has_sigil) {
                inside.remove_prefix(1);
            }
            std::string name = trim(inside);

            // A standalone tag (alone on its line but for blanks) takes its line with it.
            const bool can_stand_alone = has_sigil && sigil != '&' && sigil != '{';
            std::size_t next = tag_end;
            std::string indent;
            std::size_t line_start = tag_start;
            while (line_start > 0 && m_source[line_start - 1] != '\n') {
                --line_start;
            }
            bool blank_before = true;
            for (std::size_t i = line_start; i < tag_start; ++i) {
                blank_before &= is_blank(m_source[i]);
            }
            const std::size_t after = line_end_after(tag_end);
            bool standalone = false;
            if (can_stand_alone && blank_before && after != npos && text.size() >= tag_start - line_start) {
                indent = text.substr(text.size() - (tag_start - line_start));
                text.resize(text.size() - indent.size());
                next = after;
                standalone = true;
            }
            if (tag_start == m_pair_close_at && sigil == '/') {
                // The second of "{{/block}}{{/parent}}" alone on a line: the pair is standalone.
                next = m_pair_close_next;
            }

            switch (sigil) {
            case '!':
                break;
            case '=': {
                const std::string spec = trim(inside.substr(0, inside.size()));
                const std::size_t space = spec.find_first_of(" \t");
                if (space == std::string::npos || spec.find('=') != std::string::npos) {
                    fail(tag_start, "a set-delimiter tag needs two delimiters separated by a space");
                }
                m_open = spec.substr(0, space);
                m_close = trim(spec.substr(space));
                if (m_close.empty() || m_close.find_first_of(" \t") != std::string::npos) {
                    fail(tag_start, "a set-delimiter tag needs two delimiters separated by a space");
                }
                break;
            }
            case '#':
            case '^':
            case '<':
            case '$': {
                flush_text();
                Node node;
                node.kind = sigil == '#'   ? Node::Kind::section
                            : sigil == '^' ? Node::Kind::inverted
                            : sigil == '<' ? Node::Kind::parent
                                           : Node::Kind::block;
                node.dynamic = sigil == '<' && !name.empty() && name[0] == '*';
                node.value = node.dynamic ? trim(name.substr(1)) : name;
                node.indent = sigil == '<' ? indent : std::string();
                if (sigil == '$') {
                    const Frame& frame = stack.back();
                    const bool opens_parent_line = frame.owner != nullptr && frame.owner->kind == Node::Kind::parent &&
                                                   frame.content_start == tag_start && after != npos;
                    if (opens_parent_line) { // "{{<parent}}{{$block}}" alone on a line
                        next = after;
                    }
                    node.block_on_own_line = standalone || opens_parent_line;
                    node.indent = standalone     ? indent
                                  : blank_before ? std::string(m_source.substr(line_start, tag_start - line_start))
                                                 : std::string();
                }
                node.open_delimiter = m_open;
                node.close_delimiter = m_close;
                require_name(node.value, tag_start);
                stack.back().nodes->push_back(std::move(node));
                Node* owner = &stack.back().nodes->back();
                stack.push_back(Frame{&owner->children, owner, next, tag_start});
                break;
            }
            case '/': {
                flush_text();
                if (stack.size() == 1) {
                    fail(tag_start, "closing tag \"" + name + "\" has no opening tag");
                }
                Frame frame = stack.back();
                const std::string& opened = frame.owner->dynamic ? "*" + frame.owner->value : frame.owner->value;
                if (name != opened && name != frame.owner->value) {
                    fail(tag_start, "closing tag \"" + name + "\" does not match the open section \"" + opened + "\"");
                }
                frame.owner->raw = std::string(m_source.substr(frame.content_start, tag_start - frame.content_start));
                if (frame.owner->kind == Node::Kind::block && blank_before && !standalone && stack.size() > 2 &&
                    stack[stack.size() - 2].owner->kind == Node::Kind::parent) {
                    closes_parent_line(tag_end, tag_start - line_start, stack.back().nodes);
                }
                if (!indent.empty() || next != tag_end) {
                    // A standalone closing tag: its line's blanks are not part of the raw text.
                    frame.owner->raw.resize(frame.owner->raw.size() - std::min(frame.owner->raw.size(), indent.size()));
                }
                stack.pop_back();
                if (frame.owner->kind == Node::Kind::parent && frame.content_start == tag_start && next == tag_end) {
                    absorb_empty_parent_line(*stack.back().nodes, frame.tag_offset, tag_end, next);
                }
                break;
            }
            case '>': {
                flush_text();
                Node node;
                node.kind = Node::Kind::partial;
                node.dynamic = !name.empty() && name[0] == '*';
                node.value = node.dynamic ? trim(name.substr(1)) : name;
                node.indent = indent;
                require_name(node.value, tag_start);
                stack.back().nodes->push_back(std::move(node));
                break;
            }
            default: {
                flush_text();
                Node node;
                node.kind = Node::Kind::variable;
                node.value = name;
                node.escape = !(sigil == '&' || sigil == '{');
                require_name(node.value, tag_start);
                stack.back().nodes->push_back(std::move(node));
                break;
            }
            }
            pos = next;
        }
        flush_text();
        if (stack.size() > 1) {
            fail(stack.back().tag_offset, "section \"" + stack.back().owner->value + "\" is never closed");
        }
        return root;
    }

private:
    [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
        const Position position = position_of(m_source, offset);
        throw Failure{ParseError{message, position.line, position.column}};
    }

    // Where the line ends after `from` if only blanks come before its end: the position after
    // the line break (or the end of the source); npos otherwise.
    std::size_t line_end_after(std::size_t from) const {
        std::size_t after = from;
        while (after < m_source.size() && is_blank(m_source[after])) {
            ++after;
        }
        if (after == m_source.size()) {
            return after;
        }
        if (m_source[after] == '\n') {
            return after + 1;
        }
        if (after + 1 < m_source.size() && m_source[after] == '\r' && m_source[after + 1] == '\n') {
            return after + 2;
        }
        return npos;
    }

    // "{{/block}}{{/parent}}" alone on a line: the block's content loses the line's blanks,
    // and the parent's closing tag takes the line's end (see m_pair_close_at).
    void closes_parent_line(std::size_t block_close_end, std::size_t blanks, Nodes* block_nodes) {
        if (m_source.compare(block_close_end, m_open.size() + 1, m_open + "/") != 0) {
            return;
        }
        const std::size_t close_at = m_source.find(m_close, block_close_end);
        if (close_at == npos) {
            return;
        }
        const std::size_t after = line_end_after(close_at + m_close.size());
        if (after == npos) {
            return;
        }
        if (blanks > 0 && !block_nodes->empty() && block_nodes->back().kind == Node::Kind::text &&
            block_nodes->back().value.size() >= blanks) {
            std::string& text = block_nodes->back().value;
            text.resize(text.size() - blanks);
        }
        m_pair_close_at = block_close_end;
        m_pair_close_next = after;
    }

    // "{{<parent}}{{/parent}}" alone on its line is standalone like a partial tag: the line's
    // blanks become the parent's indentation and the line's end goes with it.
    void absorb_empty_parent_line(Nodes& nodes, std::size_t open_offset, std::size_t close_end,
                                  std::size_t& next) const {
        std::size_t line_start = open_offset;
        while (line_start > 0 && m_source[line_start - 1] != '\n') {
            --line_start;
        }
        for (std::size_t i = line_start; i < open_offset; ++i) {
            if (!is_blank(m_source[i])) {
                return;
            }
        }
        std::size_t after = close_end;
        while (after < m_source.size() && is_blank(m_source[after])) {
            ++after;
        }
        if (after < m_source.size() && m_source[after] == '\n') {
            ++after;
        } else if (after + 1 < m_source.size() && m_source[after] == '\r' && m_source[after + 1] == '\n') {
            after += 2;
        } else if (after != m_source.size()) {
            return;
        }
        const std::size_t blanks = open_offset - line_start;
        Node& parent = nodes.back();
        if (blanks > 0) {
            if (nodes.size() < 2 || nodes[nodes.size() - 2].kind != Node::Kind::text ||
                nodes[nodes.size() - 2].value.size() < blanks) {
                return;
            }
            std::string& text = nodes[nodes.size() - 2].value;
            parent.indent = text.substr(text.size() - blanks);
            text.resize(text.size() - blanks);
        }
        next = after;
    }

    void require_name(const std::string& name, std::size_t offset) const {
        if (name.empty()) {
            fail(offset, "this tag has no name");
        }
    }

    static constexpr std::size_t npos = std::string_view::npos;

    std::string_view m_source;
    std::string m_open;
    std::string m_close;
    std::size_t m_pair_close_at = npos;
    std::size_t m_pair_close_next = 0;
};

std::variant<Nodes, ParseError> parse_nodes(std::string_view source, const std::string& open,
                                            const std::string& close) {
    try {
        return Parser(source, open, close).parse();
    } catch (const Failure& failure) {
        return failure.error;
    }
}

// ---------------------------------------------------------------- rendering

using Blocks = std::map<std::string, const Node*>;

class Renderer {
public:
    explicit Renderer(const RenderOptions& options) : m_options(options) {}

    std::string output;

    void render(const Nodes& nodes, std::vector<const json*>& stack, const Blocks& blocks, const std::string& indent) {
        for (const Node& node : nodes) {
            render_node(node, stack, blocks, indent);
        }
    }

private:
    // Writes template text, starting each of its lines with the partial's indentation.
    void write_text(std::string_view text, const std::string& indent) {
        for (char c : text) {
            if (m_at_line_start && !indent.empty()) {
                output += indent;
            }
            m_at_line_start = false;
            output += c;
            if (c == '\n') {
                m_at_line_start = true;
            }
        }
    }

    // Writes data: its own newlines never take the indentation.
    void write_value(std::string_view text, const std::string& indent) {
        if (text.empty()) {
            return;
        }
        if (m_at_line_start && !indent.empty()) {
            output += indent;
        }
        m_at_line_start = false;
        output += text;
    }

    static bool is_lambda(const json* value) {
        return value != nullptr && value->is_object() && value->contains("__lambda__");
    }

    const json* lookup(const std::string& name, const std::vector<const json*>& stack) const {
        if (name == ".") {
            return stack.back();
        }
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const std::size_t dot = name.find('.', start);
            parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
            if (dot == std::string::npos) {
                break;
            }
            start = dot + 1;
        }
        const json* found = nullptr;
        for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
            if ((*it)->is_object()) {
                auto member = (*it)->find(parts[0]);
                if (member != (*it)->end()) {
                    found = &*member;
                    break;
                }
            }
        }
        for (std::size_t i = 1; found != nullptr && i < parts.size(); ++i) {
            if (!found->is_object()) {
                return nullptr;
            }
            auto member = found->find(parts[i]);
            found = member == found->end() ? nullptr : &*member;
        }
        return found;
    }

    json call_lambda(const json& marker, const std::optional<std::string>& text) const {
        auto lambda = m_options.lambdas.find(marker["__lambda__"].get<std::string>());
        return lambda == m_options.lambdas.end() ? json(nullptr) : lambda->second(text);
    }

    static bool falsey(const json* value) {
        return value == nullptr || value->is_null() || (value->is_boolean() && !value->get<bool>()) ||
               (value->is_array() && value->empty());
    }

    static std::string to_text(const json& value) {
        if (value.is_string()) {
            return value.get<std::string>();
        }
        if (value.is_null()) {
            return {};
        }
        return value.dump();
    }

    std::string escape(const std::string& text) const {
        if (!m_options.escape_html) {
            return text;
        }
        std::string escaped;
        escaped.reserve(text.size());
        for (char c : text) {
            switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            default:
                escaped += c;
            }
        }
        return escaped;
    }

    // Renders template source produced at render time (a lambda's result) in place.
    std::string render_source_here(const std::string& source, const std::string& open, const std::string& close,
                                   std::vector<const json*>& stack, const Blocks& blocks) {
        auto parsed = parse_nodes(source, open, close);
        if (std::holds_alternative<ParseError>(parsed)) {
            return source;
        }
        Renderer inner(m_options);
        inner.render(std::get<Nodes>(parsed), stack, blocks, "");
        return inner.output;
    }

    TemplatePtr resolve(const Node& node, const std::vector<const json*>& stack) const {
        std::string name = node.value;
        if (node.dynamic) {
            const json* value = lookup(node.value, stack);
            if (value == nullptr || !value->is_string()) {
                return nullptr;
            }
            name = value->get<std::string>();
        }
        return m_options.partials ? m_options.partials(name) : nullptr;
    }

    void render_node(const Node& node, std::vector<const json*>& stack, const Blocks& blocks,
                     const std::string& indent) {
        switch (node.kind) {
        case Node::Kind::text:
            write_text(node.value, indent);
            return;
        case Node::Kind::variable: {
            const json* value = lookup(node.value, stack);
            if (value == nullptr) {
                return;
            }
            std::string text;
            if (is_lambda(value)) {
                const json result = call_lambda(*value, std::nullopt);
                text = result.is_string() ? render_source_here(result.get<std::string>(), "{{", "}}", stack, blocks)
                                          : to_text(result);
            } else {
                text = to_text(*value);
            }
            write_value(node.escape ? escape(text) : text, indent);
            return;
        }
        case Node::Kind::section:
        case Node::Kind::inverted: {
            const json* value = lookup(node.value, stack);
            json lambda_result;
            if (is_lambda(value)) {
                if (node.kind == Node::Kind::inverted) {
                    return; // a lambda is a value, so truthy: its inverted section shows nothing
                }
                lambda_result = call_lambda(*value, node.raw);
                if (node.kind == Node::Kind::section && lambda_result.is_string()) {
                    write_value(render_source_here(lambda_result.get<std::string>(), node.open_delimiter,
                                                   node.close_delimiter, stack, blocks),
                                indent);
                    return;
                }
                value = &lambda_result;
            }
            if (node.kind == Node::Kind::inverted) {
                if (falsey(value)) {
                    render(node.children, stack, blocks, indent);
                }
                return;
            }
            if (falsey(value)) {
                return;
            }
            if (value->is_array()) {
                for (const json& item : *value) {
                    stack.push_back(&item);
                    render(node.children, stack, blocks, indent);
                    stack.pop_back();
                }
                return;
            }
            stack.push_back(value);
            render(node.children, stack, blocks, indent);
            stack.pop_back();
            return;
        }
        case Node::Kind::partial: {
            if (TemplatePtr partial = resolve(node, stack)) {
                render(partial->nodes(), stack, blocks, indent + node.indent);
            }
            return;
        }
        case Node::Kind::parent: {
            // Arguments given here; ones given further out win (they were given last).
            Blocks merged;
            for (const Node& child : node.children) {
                if (child.kind == Node::Kind::block) {
                    merged[child.value] = &child;
                }
            }
            for (const auto& [name, outer] : blocks) {
                merged[name] = outer;
            }
            if (TemplatePtr parent = resolve(node, stack)) {
                render(parent->nodes(), stack, merged, indent + node.indent);
            }
            return;
        }
        case Node::Kind::block: {
            auto overridden = blocks.find(node.value);
            if (overridden == blocks.end()) {
                render(node.children, stack, blocks, indent);
                return;
            }
            render_override(node, *overridden->second, stack, blocks, indent);
            return;
        }
        }
    }

    // An override takes the place of the parent's block at the block's indentation: the
    // override's own indentation (that of its first line, when it starts on a line of its
    // own) is taken off, and the parent block's is put on: its default content's, else the
    // blanks before its tag.
    void render_override(const Node& block, const Node& override_node, std::vector<const json*>& stack,
                         const Blocks& blocks, const std::string& indent) {
        Renderer inner(m_options);
        inner.render(override_node.children, stack, blocks, "");
        std::string text = std::move(inner.output);
        if (override_node.block_on_own_line) {
            text = dedent(text, leading_blanks(text));
        }
        std::string block_indent = block.indent;
        if (block.block_on_own_line && !block.children.empty() && block.children.front().kind == Node::Kind::text) {
            block_indent = leading_blanks(block.children.front().value);
        }
        write_text(text, indent + block_indent);
    }

    static std::string leading_blanks(std::string_view text) {
        std::size_t count = 0;
        while (count < text.size() && is_blank(text[count])) {
            ++count;
        }
        return std::string(text.substr(0, count));
    }

    // Takes `prefix` (or as many of its blanks as a line has) off the start of every line.
    static std::string dedent(std::string_view text, const std::string& prefix) {
        if (prefix.empty()) {
            return std::string(text);
        }
        std::string result;
        bool line_start = true;
        std::size_t skipped = 0;
        for (char c : text) {
            if (line_start && skipped < prefix.size() && is_blank(c)) {
                ++skipped;
                continue;
            }
            line_start = c == '\n';
            skipped = 0;
            result += c;
        }
        return result;
    }

    const RenderOptions& m_options;
    bool m_at_line_start = true;
};

} // namespace

std::variant<TemplatePtr, ParseError> Template::parse(std::string_view source) {
    auto parsed = parse_nodes(source, "{{", "}}");
    if (std::holds_alternative<ParseError>(parsed)) {
        return std::get<ParseError>(parsed);
    }
    return std::make_shared<const Template>(std::make_shared<Nodes>(std::move(std::get<Nodes>(parsed))));
}

std::string Template::render(const json& data, const RenderOptions& options) const {
    Renderer renderer(options);
    std::vector<const json*> stack{&data};
    renderer.render(*m_nodes, stack, {}, "");
    return std::move(renderer.output);
}

std::string render_source(std::string_view source, const json& data, const RenderOptions& options) {
    auto parsed = Template::parse(source);
    if (std::holds_alternative<ParseError>(parsed)) {
        const ParseError& error = std::get<ParseError>(parsed);
        throw std::invalid_argument(error.message + " at line " + std::to_string(error.line) + ", column " +
                                    std::to_string(error.column));
    }
    return std::get<TemplatePtr>(parsed)->render(data, options);
}

} // namespace pheu::templates
