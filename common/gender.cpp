#include "common/gender.h"

#include "common/text_fold.h"

#include <string>

namespace pheu::common {

std::optional<Gender> parse_gender(std::string_view text) {
    const std::string folded = fold_vietnamese(text); // "Nữ" → "nu"
    if (folded == "1" || folded == "male" || folded == "nam" || folded == "m") {
        return Gender::male;
    }
    if (folded == "2" || folded == "female" || folded == "nu" || folded == "f") {
        return Gender::female;
    }
    return std::nullopt;
}

const char* gender_id(Gender gender) {
    return gender == Gender::male ? "male" : "female";
}

} // namespace pheu::common
