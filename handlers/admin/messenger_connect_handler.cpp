#include "handlers/admin/messenger_connect_handler.h"

#include "bot/channels/channel_directory.h"
#include "common/text_fold.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

MessengerConnectHandler::MessengerConnectHandler(bot::channels::ChannelDirectory& channels, store::AdminWriter& writer,
                                                 std::function<std::int64_t()> clock,
                                                 std::function<void()> on_connected)
    : m_channels(channels), m_writer(writer), m_clock(std::move(clock)), m_on_connected(std::move(on_connected)) {}

HttpReply MessengerConnectHandler::connect(const HttpRequestView& request) const {
    const std::string& page_id = request.path_params.at(0);
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto field = body.find("page_access_token");
        const std::string token =
            field != body.end() && field->is_string() ? common::trimmed(field->get<std::string>()) : "";
        if (token.empty()) {
            return json_error(400, "invalid_field",
                              "page_access_token is required: the page's access token from Meta's developer tools.",
                              "/page_access_token");
        }
        const std::int64_t now = m_clock();
        if (const auto refusal = m_channels.connect_messenger(page_id, token, now)) {
            const int status = refusal->code == "not_found" ? 404 : refusal->code == "graph_unreachable" ? 502 : 400;
            return json_error(status, refusal->code, refusal->message, "/page_access_token");
        }
        m_writer.write([&](store::sql::Connection& db) {
            audit(db, request, "connection.messenger", page_id, {{"outcome", "connected"}}, now);
        });
        if (m_on_connected) {
            m_on_connected();
        }
        return ok_json({{"channel", "messenger"}, {"account_id", page_id}, {"working", true}});
    });
}

} // namespace pheu::handlers
