// When a reply counts the menu as seen: within the hour after a message showed it.
#include "bot/playbook/message_composer.h"

#include <catch2/catch.hpp>

using pheu::bot::k_menu_seen_recently_ms;
using pheu::bot::menu_seen_recently;

TEST_CASE("the menu counts as seen for an hour after a message showed it", "[unit][templates]") {
    constexpr std::int64_t shown = 1'800'000'000'000;
    CHECK_FALSE(menu_seen_recently(std::nullopt, shown));
    CHECK(menu_seen_recently(shown, shown));
    CHECK(menu_seen_recently(shown, shown + k_menu_seen_recently_ms - 1));
    CHECK_FALSE(menu_seen_recently(shown, shown + k_menu_seen_recently_ms));
    // A note from a clock ahead of this one (another instance's) is not taken as seen.
    CHECK_FALSE(menu_seen_recently(shown + 1, shown));
}
