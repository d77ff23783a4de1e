#include "bot/customers/person_lane.h"
#include "store/inbox_record.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using pheu::bot::CustomerRef;
using pheu::bot::person_lane;

TEST_CASE("a person's events share one lane, the same on every instance and version", "[unit][lanes]") {
    const CustomerRef chat{.zalo_user_id = "8812345678901234567"};
    CustomerRef receipt = chat;
    receipt.name = "Lan";
    receipt.phone = "84912345678";
    // The platform's id decides, whatever else an event names.
    CHECK(person_lane(receipt) == person_lane(chat));
    // Pinned (FNV-1a of "zalo:<id>" mod 64, worked out apart): instances of two versions that
    // hashed differently would decide one person's events side by side.
    CHECK(person_lane(chat) == 44);
    CHECK(person_lane(CustomerRef{.phone = "84912345678"}) == 30);
    // Each kind of id has its own lane space: a phone is not a Zalo id with the same digits.
    CHECK(person_lane(CustomerRef{.zalo_user_id = "84912345678"}) != person_lane(CustomerRef{.phone = "84912345678"}));
    CHECK(person_lane(CustomerRef{}) == 0);
}

TEST_CASE("people spread over every lane", "[unit][lanes]") {
    std::set<int> lanes;
    for (int i = 0; i < 2000; ++i) {
        const int lane = person_lane(CustomerRef{.messenger_psid = std::to_string(7000000000000000 + i)});
        CHECK(lane >= 0);
        CHECK(lane < pheu::store::k_worker_lanes);
        lanes.insert(lane);
    }
    CHECK(lanes.size() == static_cast<std::size_t>(pheu::store::k_worker_lanes));
}
