// A C face for libphonenumber's PhoneNumberMatcher, so Swift can call it without C++ interop.
#include "loom_phone.h"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <climits>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

PhoneNumberMatcher::Leniency matcherLeniency(loom_phone_leniency leniency) {
    switch (leniency) {
    case LOOM_PHONE_POSSIBLE: return PhoneNumberMatcher::POSSIBLE;
    case LOOM_PHONE_STRICT_GROUPING: return PhoneNumberMatcher::STRICT_GROUPING;
    default: return PhoneNumberMatcher::VALID;
    }
}

}  // namespace

extern "C" int loom_phone_find(const char *text, size_t length, const char *region, loom_phone_leniency leniency,
                               loom_phone_span **spans, size_t *count) {
    if (spans == nullptr || count == nullptr) return -1;
    *spans = nullptr;
    *count = 0;
    if (text == nullptr && length > 0) return -1;
    // The matcher reports offsets as int: text longer than that is refused rather than misread.
    if (length > static_cast<size_t>(INT_MAX)) return -1;
    try {
        const std::string input(text == nullptr ? "" : text, length);
        // A failed candidate does not end the search: a log line full of IDs must not hide the
        // number after them (the matcher's default limit is unbounded too).
        PhoneNumberMatcher matcher(*PhoneNumberUtil::GetInstance(), input, region == nullptr ? "US" : region,
                                   matcherLeniency(leniency), INT_MAX);
        std::vector<loom_phone_span> found;
        PhoneNumberMatch match;
        while (matcher.HasNext()) {
            if (!matcher.Next(&match)) break;
            const int64_t start = match.start();
            const int64_t end = start + static_cast<int64_t>(match.length());
            if (start < 0 || end < start || end > static_cast<int64_t>(length)) continue;
            found.push_back({start, end});
        }
        if (found.empty()) return 0;
        auto *out = static_cast<loom_phone_span *>(std::malloc(found.size() * sizeof(loom_phone_span)));
        if (out == nullptr) return -1;
        for (size_t i = 0; i < found.size(); ++i) out[i] = found[i];
        *spans = out;
        *count = found.size();
        return 0;
    } catch (...) {
        // No C++ exception may cross into Swift.
        return -1;
    }
}

extern "C" void loom_phone_free(loom_phone_span *spans) { std::free(spans); }
