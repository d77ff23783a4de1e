#include "handlers/admin/api_document_handler.h"

#include "handlers/admin/api_document_file.h"

#include <string>

namespace pheu::handlers {

HttpReply api_document() {
    const ApiDocumentFile& document = api_document_files().front();
    return HttpReply{200, std::string(document.text), "application/json", {{"Cache-Control", "no-cache"}}};
}

} // namespace pheu::handlers
