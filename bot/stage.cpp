#include "bot/stage.h"

namespace pheu::bot {

const char* stage_id(Stage stage) {
    switch (stage) {
    case Stage::new_lead:
        return "new_lead";
    case Stage::new_customer:
        return "new_customer";
    case Stage::frequent_buyer:
        return "frequent_buyer";
    case Stage::dormant:
        return "dormant";
    }
    return "new_lead";
}

std::optional<Stage> parse_stage(std::string_view id) {
    for (Stage stage : k_all_stages) {
        if (id == stage_id(stage)) {
            return stage;
        }
    }
    return std::nullopt;
}

const char* stage_label_vi(Stage stage) {
    switch (stage) {
    case Stage::new_lead:
        return "Lead mới";
    case Stage::new_customer:
        return "Khách hàng mới";
    case Stage::frequent_buyer:
        return "Khách hàng mua nhiều";
    case Stage::dormant:
        return "Khách hàng ngủ đông";
    }
    return "Lead mới";
}

} // namespace pheu::bot
