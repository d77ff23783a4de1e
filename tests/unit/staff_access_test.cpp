// Who may do what (roles and permissions), what an owner may send about a person, and the
// cookies a session travels in. Pure.
#include "handlers/admin/staff_access.h"
#include "handlers/admin/staff_user_input.h"
#include "handlers/http/cookies.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pheu::handlers;
using nlohmann::json;

TEST_CASE("an owner may do everything, a marketer marketing, staff the conversations", "[unit][accounts]") {
    for (auto permission : {Permission::conversations, Permission::marketing, Permission::personal_data,
                            Permission::shop_settings, Permission::people}) {
        CHECK(role_allows(StaffRole::owner, permission));
    }
    CHECK(role_allows(StaffRole::marketer, Permission::conversations));
    CHECK(role_allows(StaffRole::marketer, Permission::marketing));
    CHECK_FALSE(role_allows(StaffRole::marketer, Permission::personal_data));
    CHECK_FALSE(role_allows(StaffRole::marketer, Permission::shop_settings));
    CHECK_FALSE(role_allows(StaffRole::marketer, Permission::people));
    CHECK(role_allows(StaffRole::staff, Permission::conversations));
    CHECK_FALSE(role_allows(StaffRole::staff, Permission::marketing));
    CHECK_FALSE(role_allows(StaffRole::staff, Permission::personal_data));
    CHECK_FALSE(role_allows(StaffRole::staff, Permission::shop_settings));
    CHECK_FALSE(role_allows(StaffRole::staff, Permission::people));
    CHECK(staff_role_named("marketer") == StaffRole::marketer);
    CHECK_FALSE(staff_role_named("Owner"));
    CHECK(std::string(staff_role_name(StaffRole::staff)) == "staff");
}

TEST_CASE("a new person needs a name, a password of 8 to 128 characters and a known role", "[unit][accounts]") {
    const auto good =
        parse_new_staff_user({{"name", "  Nguyễn Thị Lan "}, {"password", "mậtkhẩu1"}, {"role", "staff"}});
    REQUIRE(std::holds_alternative<NewStaffUser>(good));
    CHECK(std::get<NewStaffUser>(good).name == "Nguyễn Thị Lan");
    CHECK(std::get<NewStaffUser>(good).role == StaffRole::staff);
    const auto path_of = [](const json& body) {
        const auto parsed = parse_new_staff_user(body);
        return std::holds_alternative<pheu::common::InputError>(parsed)
                   ? std::get<pheu::common::InputError>(parsed).path
                   : std::string("accepted");
    };
    CHECK(path_of({{"password", "12345678"}, {"role", "staff"}}) == "/name");
    CHECK(path_of({{"name", "a\tb"}, {"password", "12345678"}, {"role", "staff"}}) == "/name");
    CHECK(path_of({{"name", std::string(61, 'a')}, {"password", "12345678"}, {"role", "staff"}}) == "/name");
    CHECK(path_of({{"name", std::string(60, 'a')}, {"password", "12345678"}, {"role", "staff"}}) == "accepted");
    CHECK(path_of({{"name", "Lan"}, {"password", "1234567"}, {"role", "staff"}}) == "/password");
    CHECK(path_of({{"name", "Lan"}, {"password", "đđđđđđđđ"}, {"role", "staff"}}) == "accepted");
    CHECK(path_of({{"name", "Lan"}, {"password", std::string(129, 'a')}, {"role", "staff"}}) == "/password");
    CHECK(path_of({{"name", "Lan"}, {"password", 12345678}, {"role", "staff"}}) == "/password");
    CHECK(path_of({{"name", "Lan"}, {"password", "12345678"}}) == "/role");
    CHECK(path_of({{"name", "Lan"}, {"password", "12345678"}, {"role", "admin"}}) == "/role");
}

TEST_CASE("an edit changes something, and never leaves the shop without an active owner", "[unit][accounts]") {
    CHECK(std::holds_alternative<pheu::common::InputError>(parse_staff_user_edit(json::object())));
    CHECK(std::holds_alternative<pheu::common::InputError>(parse_staff_user_edit({{"active", "no"}})));
    const auto demote = std::get<StaffUserEdit>(parse_staff_user_edit({{"role", "staff"}}));
    const auto deactivate = std::get<StaffUserEdit>(parse_staff_user_edit({{"active", false}}));
    const auto password = std::get<StaffUserEdit>(parse_staff_user_edit({{"password", "mới mới mới"}}));
    CHECK(removes_last_owner(StaffRole::owner, true, demote, 1));
    CHECK(removes_last_owner(StaffRole::owner, true, deactivate, 1));
    CHECK_FALSE(removes_last_owner(StaffRole::owner, true, password, 1));
    CHECK_FALSE(removes_last_owner(StaffRole::owner, true, demote, 2));
    CHECK_FALSE(removes_last_owner(StaffRole::staff, true, deactivate, 1));
    CHECK_FALSE(removes_last_owner(StaffRole::owner, false, demote, 1)); // not counted among the active
    const auto promote = std::get<StaffUserEdit>(parse_staff_user_edit({{"role", "owner"}}));
    CHECK_FALSE(removes_last_owner(StaffRole::owner, true, promote, 1));
}

TEST_CASE("a session cookie is read from any place in the header and written for the server alone",
          "[unit][accounts]") {
    CHECK(cookie_named("pheu_session=abc", "pheu_session") == "abc");
    CHECK(cookie_named("theme=dark; pheu_session=abc; lang=vi", "pheu_session") == "abc");
    CHECK(cookie_named("theme=dark;pheu_session=\"abc\"", "pheu_session") == "abc");
    CHECK(cookie_named("xpheu_session=abc", "pheu_session") == std::nullopt);
    CHECK(cookie_named("", "pheu_session") == std::nullopt);
    CHECK(cookie_named("pheu_session", "pheu_session") == std::nullopt);
    CHECK(server_only_cookie("pheu_session", "abc", 60) ==
          "pheu_session=abc; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Strict");
}
