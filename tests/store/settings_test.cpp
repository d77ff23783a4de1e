#include "bot/playbook/messaging_settings.h"
#include "bot/customers/shop_settings.h"
#include "store/migrations.h"
#include "store/database.h"
#include "store/settings_store.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace pheu;

TEST_CASE("stored settings override the defaults field by field, malformed ones are ignored", "[store][settings]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::SettingsStore settings(*db);
    CHECK(bot::load_stage_settings(settings).thresholds.frequent_min_orders == 3);
    CHECK(bot::load_send_policy(settings).daily_cap == 2);

    settings.put("stage_thresholds", R"({"frequent_min_orders":5,"dormant_after_days":-1})");
    settings.put("stage_tags", R"({"dormant":"Ngủ đông","new_lead":""})");
    settings.put("send_policy",
                 R"({"weekly_cap":3,"quiet_hours":{"start":"21:30","end":"07:00"},"handoff_minutes":15})");
    settings.put("shop", R"({"name":"Tiệm Lan","website":42})");
    const auto stages = bot::load_stage_settings(settings);
    CHECK(stages.thresholds.frequent_min_orders == 5);
    CHECK(stages.thresholds.dormant_after_days == 90); // a negative value keeps the default
    CHECK(stages.tag_for(bot::Stage::dormant) == "Ngủ đông");
    CHECK(stages.tag_for(bot::Stage::new_lead) == "Lead mới");
    const auto policy = bot::load_send_policy(settings);
    CHECK(policy.daily_cap == 2);
    CHECK(policy.weekly_cap == 3);
    CHECK(policy.quiet_start_minute == 21 * 60 + 30);
    CHECK(policy.quiet_end_minute == 7 * 60);
    CHECK(policy.handoff_minutes == 15);
    const auto shop = bot::load_shop_profile(settings);
    CHECK(shop["name"] == "Tiệm Lan");
    CHECK(shop["hours"] == "8:00–21:00 mỗi ngày"); // from the built-in pack

    settings.put("send_policy", "not json");
    CHECK(bot::load_send_policy(settings).weekly_cap == 5);
}
