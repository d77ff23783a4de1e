#pragma once
// GET /admin and /admin/<file>: the web console, from the files of web/admin/ compiled into
// the binary (handlers/CMakeLists.txt), so pheu serves it from any directory and nothing is
// fetched from the internet. The console signs in with the admin token and calls /api/v1.
#include "handlers/http/http_exchange.h"

#include <string>

namespace pheu::handlers {

class ConsoleHandler {
public:
    // 200 with the file and its content type; 404 for a name web/admin/ does not hold.
    HttpReply file(const std::string& name, const HttpRequestView& request) const;
};

} // namespace pheu::handlers
