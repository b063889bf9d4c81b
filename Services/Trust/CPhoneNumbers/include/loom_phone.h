#ifndef LOOM_PHONE_H
#define LOOM_PHONE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A phone number found in text: UTF-8 byte offsets, `start` inclusive, `end` exclusive.
typedef struct {
    int64_t start;
    int64_t end;
} loom_phone_span;

/// How much libphonenumber must believe a candidate (its PhoneNumberMatcher::Leniency).
typedef enum {
    LOOM_PHONE_POSSIBLE = 0,
    LOOM_PHONE_VALID = 1,
    LOOM_PHONE_STRICT_GROUPING = 2,
} loom_phone_leniency;

/// Finds phone numbers in `length` bytes of UTF-8 `text` with libphonenumber's
/// PhoneNumberMatcher: numbers in the national format of `region` (ISO 3166 alpha-2) and
/// numbers in international format from any country. On success returns 0 and sets
/// `*spans` (free it with loom_phone_free; NULL when nothing was found) and `*count`; text
/// that is not UTF-8 finds nothing. Returns -1 when the search failed, with `*spans` NULL and
/// `*count` 0.
int loom_phone_find(const char *text, size_t length, const char *region, loom_phone_leniency leniency,
                    loom_phone_span **spans, size_t *count);

void loom_phone_free(loom_phone_span *spans);

/// A phone number's parts, as libphonenumber parses it: the country calling code, the national
/// significant number (digits only, NUL-terminated; Italy's leading zero included) and the
/// trunk prefix of the number's country (`0` in most of Europe, empty where there is none).
typedef struct {
    int32_t country_code;
    int32_t is_valid;
    char national_number[24];
    char national_prefix[8];
} loom_phone_parts;

/// Parses `length` bytes of `text` as one phone number, national ones in the plan of `region`
/// (ISO 3166 alpha-2). Returns 0 and fills `*parts` when the number's length is possible in its
/// country, and -1 (with `*parts` zeroed) when it does not parse, is not possible, or is longer
/// than 64 bytes (no written phone number is).
int loom_phone_parse(const char *text, size_t length, const char *region, loom_phone_parts *parts);

#ifdef __cplusplus
}
#endif

#endif
