#pragma once
// One of 2 to 4 templates a rule, journey step or broadcast tries against each other: each
// customer gets one, by weight (bot/playbook/holdout.h), and the results show each apart.
#include <string>

namespace pheu::store {

struct TemplateVariant {
    std::string template_id;
    int weight = 1;
};

} // namespace pheu::store
