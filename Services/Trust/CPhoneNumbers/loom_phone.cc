// A C face for libphonenumber's PhoneNumberMatcher, so Swift can call it without C++ interop.
#include "loom_phone.h"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
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

// The matcher's time grows faster than the text inside one candidate run (200 KB of short
// digit groups: 6.6 s whole, 2.6 s in pieces), so it reads the text in pieces of about this
// many bytes...
constexpr size_t kPieceBytes = 2048;
// ...cut at whitespace, and each piece after the first starts at least twice this far before
// the previous cut. No written phone number is this long, so one that crosses a cut is
// whole in the next piece, and a match ending this close to a cut is left for that piece.
constexpr size_t kLongestNumberBytes = 80;

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The last whitespace in [low, high), or high moved back onto a UTF-8 character boundary.
size_t cutBefore(const std::string &text, size_t low, size_t high) {
    for (size_t i = high; i > low; --i) {
        if (isSpace(text[i - 1])) return i;
    }
    size_t i = high;
    while (i > low && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    return i;
}

void findInPiece(const std::string &piece, size_t offset, bool last, const char *region,
                 PhoneNumberMatcher::Leniency leniency, std::vector<loom_phone_span> &found) {
    PhoneNumberMatcher matcher(*PhoneNumberUtil::GetInstance(), piece, region, leniency, INT_MAX);
    PhoneNumberMatch match;
    while (matcher.HasNext()) {
        if (!matcher.Next(&match)) break;
        if (match.start() < 0 || match.length() < 0) continue;
        const size_t start = static_cast<size_t>(match.start());
        const size_t end = start + static_cast<size_t>(match.length());
        if (end > piece.size()) continue;
        if (!last && end + kLongestNumberBytes > piece.size()) continue;
        const loom_phone_span span = {static_cast<int64_t>(offset + start), static_cast<int64_t>(offset + end)};
        if (!found.empty() && found.back().start >= span.start) {
            bool seen = false;
            const int64_t horizon = span.start - static_cast<int64_t>(kPieceBytes);
            for (auto it = found.rbegin(); it != found.rend() && it->end > horizon; ++it) {
                if (it->start == span.start && it->end == span.end) seen = true;
            }
            if (seen) continue;
        }
        found.push_back(span);
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
        std::string input(text == nullptr ? "" : text, length);
        // The matcher finds nothing at all in text holding a NUL; a space in its place keeps
        // every offset and lets the rest be read.
        for (char &c : input) {
            if (c == '\0') c = ' ';
        }
        const char *country = region == nullptr ? "US" : region;
        std::vector<loom_phone_span> found;
        // A failed candidate does not end the search (INT_MAX tries, in findInPiece): a log line
        // full of IDs must not hide the number after them.
        size_t start = 0;
        while (start < input.size()) {
            const bool last = input.size() - start <= kPieceBytes;
            const size_t end = last ? input.size() : cutBefore(input, start + kPieceBytes / 2, start + kPieceBytes);
            findInPiece(input.substr(start, end - start), start, last || end >= input.size(), country,
                        matcherLeniency(leniency), found);
            if (last || end >= input.size()) break;
            const size_t next = cutBefore(input, start + 1, end - 2 * kLongestNumberBytes);
            start = next > start ? next : end;
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

extern "C" int loom_phone_parse(const char *text, size_t length, const char *region, loom_phone_parts *parts) {
    if (parts == nullptr) return -1;
    std::memset(parts, 0, sizeof *parts);
    if ((text == nullptr && length > 0) || length > 64) return -1;
    try {
        const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
        PhoneNumber number;
        const std::string input(text == nullptr ? "" : text, length);
        const char *country_region = region == nullptr ? "US" : region;
        if (util.Parse(input, country_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) return -1;
        if (!util.IsPossibleNumber(number)) return -1;
        std::string national;
        util.GetNationalSignificantNumber(number, &national);
        std::string country;
        util.GetRegionCodeForCountryCode(number.country_code(), &country);
        std::string prefix;
        util.GetNddPrefixForRegion(country, true, &prefix);
        if (national.empty() || national.size() >= sizeof parts->national_number) return -1;
        if (prefix.size() >= sizeof parts->national_prefix) prefix.clear();
        parts->country_code = number.country_code();
        parts->is_valid = util.IsValidNumber(number) ? 1 : 0;
        std::memcpy(parts->national_number, national.c_str(), national.size() + 1);
        std::memcpy(parts->national_prefix, prefix.c_str(), prefix.size() + 1);
        return 0;
    } catch (...) {
        std::memset(parts, 0, sizeof *parts);
        return -1;
    }
}
