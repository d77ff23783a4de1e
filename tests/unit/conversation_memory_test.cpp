// How long a conversation remembers what was shown and told in it: an hour.
#include "bot/playbook/message_composer.h"

#include <catch2/catch.hpp>

using pheu::bot::k_conversation_memory_ms;
using pheu::bot::remembered;

TEST_CASE("the menu shown and the size told are remembered for an hour", "[unit][templates]") {
    constexpr std::int64_t shown = 1'800'000'000'000;
    CHECK_FALSE(remembered(std::nullopt, shown));
    CHECK(remembered(shown, shown));
    CHECK(remembered(shown, shown + k_conversation_memory_ms - 1));
    CHECK_FALSE(remembered(shown, shown + k_conversation_memory_ms));
    // A note from a clock ahead of this one (another instance's) is not taken as remembered.
    CHECK_FALSE(remembered(shown + 1, shown));
}
