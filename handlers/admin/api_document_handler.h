#pragma once
// GET /api/v1/openapi.json: the OpenAPI 3.1 document of every endpoint, docs/openapi.json as
// the repository keeps it, compiled into the binary. No token: it describes, it reveals
// nothing of the shop. Tests hold it to the route table and to what the server answers.
#include "handlers/http/http_exchange.h"

namespace pheu::handlers {

HttpReply api_document();

} // namespace pheu::handlers
