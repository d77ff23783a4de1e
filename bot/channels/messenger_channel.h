#pragma once
// The Messenger Send API (docs/platforms.md, "Facebook Messenger"): text, button templates and
// quick replies, `messaging_type` RESPONSE inside the 24-hour window, and outside it only
// non-promotional messages under a message tag that fits them. Every send carries
// metadata "pheu:<outbox id>", which Meta echoes back, so an echo is matched to its row.
#include "bot/channels/channel.h"
#include "bot/channels/http_transport.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>

namespace pheu::bot::channels {

struct MessengerSendMode {
    bool allowed = false;
    std::string messaging_type{}; // RESPONSE | MESSAGE_TAG
    std::string tag{};            // for MESSAGE_TAG
    std::string reason{};         // why not allowed
};

// Pure: how a message may go out `now`, given the shopper's last message.
MessengerSendMode messenger_send_mode(bool promotional, MessagePurpose purpose,
                                      std::optional<std::int64_t> last_interaction_at, std::int64_t now_ms);

// The Send API body for an item (pure, for wire-format tests).
nlohmann::json messenger_send_body(const OutboundItem& item, const MessengerSendMode& mode);

// "pheu:<outbox id>", and back.
std::string messenger_metadata(std::int64_t outbox_id);
std::optional<std::int64_t> outbox_id_of_metadata(const std::string& metadata);

struct MessengerPageAccess {
    std::string graph_base;    // https://graph.facebook.com
    std::string graph_version; // v21.0
    std::string page_id;
    std::string page_access_token;
};

// The page a page access token belongs to, as the Graph API answers GET /me with it: its id
// and name, or why not (a refused token, no answer). Pure reading of the answer.
struct MessengerTokenOwner {
    std::string page_id;
    std::string page_name;
    std::string problem; // empty when the Graph API named the page
    bool reached = true; // false when the Graph API did not answer at all
};
MessengerTokenOwner read_token_owner(const HttpAnswer& answer);

class MessengerChannel final : public Channel {
public:
    MessengerChannel(MessengerPageAccess page, HttpTransport& transport);

    SendResult deliver(const OutboundItem& item, std::int64_t now_ms) override;
    // The page's token from now on (connected again from the console). Thread-safe.
    void replace_access_token(std::string page_access_token);
    // The page's token now. Thread-safe.
    std::string access_token() const;

private:
    MessengerPageAccess m_page;
    HttpTransport& m_transport;
    mutable std::mutex m_token_mutex;
};

} // namespace pheu::bot::channels
