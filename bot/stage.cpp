#include "bot/stage.h"

#include "common/enum_ids.h"

namespace pheu::bot {

namespace {
constexpr common::EnumIds<Stage, 4> k_stage_ids{{{Stage::new_lead, "new_lead"},
                                                 {Stage::new_customer, "new_customer"},
                                                 {Stage::frequent_buyer, "frequent_buyer"},
                                                 {Stage::dormant, "dormant"}}};
} // namespace

const char* stage_id(Stage stage) {
    return common::id_of(k_stage_ids, stage);
}

std::optional<Stage> parse_stage(std::string_view id) {
    return common::parse_id(k_stage_ids, id);
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
