#pragma once
// A console user as the API shows them: {"id","name","role","active","created_at","updated_at"}.
#include "store/user_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

nlohmann::json user_json(const store::StaffUser& user);

} // namespace pheu::handlers
