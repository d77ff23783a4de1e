// An outbox row's kind and status are stored by their ids; what is written reads back as itself.
#include "store/outbox_kind.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace pheu::store;

TEST_CASE("every outbox kind reads back from the id it is stored by", "[unit][outbox]") {
    for (const OutboxKind kind : {OutboxKind::message, OutboxKind::tag, OutboxKind::untag, OutboxKind::profile}) {
        INFO(outbox_kind_id(kind));
        CHECK(parse_outbox_kind(outbox_kind_id(kind)) == kind);
        CHECK(stored_outbox_kind(outbox_kind_id(kind)) == kind);
    }
    CHECK(std::string(outbox_kind_id(OutboxKind::untag)) == "untag");
    CHECK_FALSE(parse_outbox_kind("Message").has_value());
    CHECK_FALSE(parse_outbox_kind("").has_value());
    CHECK_THROWS_AS(stored_outbox_kind("broadcast"), std::runtime_error);
}

TEST_CASE("every outbox status reads back from the id it is stored by", "[unit][outbox]") {
    for (const OutboxStatus status : {OutboxStatus::queued, OutboxStatus::sandboxed, OutboxStatus::sent,
                                      OutboxStatus::failed, OutboxStatus::skipped}) {
        INFO(outbox_status_id(status));
        CHECK(parse_outbox_status(outbox_status_id(status)) == status);
    }
    CHECK(std::string(outbox_status_id(OutboxStatus::sandboxed)) == "sandboxed");
    CHECK_FALSE(parse_outbox_status("claimed").has_value());
}
