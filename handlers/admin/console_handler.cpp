#include "handlers/admin/console_handler.h"

#include "handlers/admin/console_files.h"
#include "handlers/http/json_error.h"

namespace pheu::handlers {

namespace {

std::string content_type_of(const std::string& name) {
    const auto dot = name.rfind('.');
    const std::string extension = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    if (extension == "html") {
        return "text/html; charset=utf-8";
    }
    if (extension == "js") {
        return "text/javascript; charset=utf-8";
    }
    if (extension == "css") {
        return "text/css; charset=utf-8";
    }
    if (extension == "svg") {
        return "image/svg+xml";
    }
    return "application/octet-stream";
}

} // namespace

HttpReply ConsoleHandler::file(const std::string& name, const HttpRequestView& /*request*/) const {
    for (const auto& file : console_files()) {
        if (file.name == name) {
            // The console is small and changes with pheu: no caching, so an upgrade shows at once.
            // It is never framed (a page framing it could trick a signed-in owner into clicks)
            // and its addresses are not told to the sites its links open.
            return HttpReply{
                200,
                std::string(file.text),
                content_type_of(name),
                {{"Cache-Control", "no-cache"},
                 {"X-Content-Type-Options", "nosniff"},
                 {"X-Frame-Options", "DENY"},
                 {"Referrer-Policy", "no-referrer"},
                 {"Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; "
                                             "style-src 'self'; script-src 'self'; frame-ancestors 'none'"}}};
        }
    }
    return json_error(404, "not_found", "The console has no file \"" + name + "\".");
}

} // namespace pheu::handlers
