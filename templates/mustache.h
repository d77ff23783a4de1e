#pragma once
// A Mustache engine written to the official spec (tests/data/mustache-spec), optional modules
// included: inheritance ({{<parent}}, {{$block}}), dynamic names ({{>*name}}) and lambdas.
// Debian's kainjow library passes 130 of its 194 tests (measured when pheu began), which
// is why pheu has its own. A parsed Template is immutable: parse once, share it across
// threads, render concurrently.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pheu::templates {

struct ParseError {
    std::string message;
    std::size_t line = 0;   // 1-based
    std::size_t column = 0; // 1-based, in characters ("Chào" is 4 wide)
};

struct Node;
using Nodes = std::vector<Node>;

class Template;
using TemplatePtr = std::shared_ptr<const Template>;

// A lambda is referenced from the data as {"__lambda__": "<name>"} and looked up by name in
// RenderOptions::lambdas. Called with no text for {{name}} and with the section's raw
// text for {{#name}}…{{/name}}; a string result is rendered as a template, false or null
// hides a section.
using Lambda = std::function<nlohmann::json(const std::optional<std::string>& section_text)>;

struct RenderOptions {
    // HTML escaping for {{name}}; chat text is plain, so pheu turns it off there.
    bool escape_html = true;
    // Resolves {{>name}} and {{<name}}; nullptr or an unknown name renders as nothing.
    std::function<TemplatePtr(const std::string& name)> partials;
    std::map<std::string, Lambda> lambdas;
};

class Template {
public:
    // Parses `source`; on a syntax error returns it with its line and column.
    static std::variant<TemplatePtr, ParseError> parse(std::string_view source);

    std::string render(const nlohmann::json& data, const RenderOptions& options = {}) const;

    // Implementation detail shared with the renderer.
    const Nodes& nodes() const { return *m_nodes; }
    explicit Template(std::shared_ptr<Nodes> nodes) : m_nodes(std::move(nodes)) {}

private:
    std::shared_ptr<Nodes> m_nodes;
};

// Parses and renders in one go, for tests and previews; throws std::invalid_argument with
// the parse error's message on bad syntax.
std::string render_source(std::string_view source, const nlohmann::json& data, const RenderOptions& options = {});

} // namespace pheu::templates
