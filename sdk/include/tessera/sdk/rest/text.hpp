#pragma once
/// Text helpers for validation and search: UTF-8 checks, lengths in characters, the
/// accent-folded search key, LIKE patterns and URL-safe base64. Part of tessera_sdk_rest;
/// pure functions, thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::sdk::rest {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool validUtf8(std::string_view text);

/// Number of code points in well-formed UTF-8 text; length caps count characters, not bytes.
std::size_t utf8Length(std::string_view text);

/// The key text is searched by: any script transliterated to Latin, accents and case
/// folded away with ICU ("João" -> "joao", "Łódź" -> "lodz", "Dvořák" -> "dvorak",
/// "Москва" -> "moskva"), so search is accent-, case- and script-insensitive on both
/// engines without relying on database collations or extensions. ASCII is only lower-cased.
std::string searchKey(std::string_view text);

/// Only the digits of `text`, so "+1 (555) 010-2" is found by "5550102".
std::string digitsOnly(std::string_view text);

/// ASCII lower-case copy of `text` (other bytes unchanged).
std::string lowerAscii(std::string_view text);

/// A LIKE pattern matching `needle` anywhere, with %, _ and the escape character escaped
/// (use with ESCAPE '\').
std::string containsPattern(std::string_view needle);

/// The value of a hexadecimal digit (either case), or -1 when `c` is not one.
int hexDigitValue(char c);

/// Appends `text` as a JSON string, byte for byte what sdk::Response::json writes for it
/// (invalid UTF-8 included, which becomes U+FFFD), for bodies written without building
/// a JSON document first (long lists).
void appendJsonString(std::string& out, std::string_view text);

/// URL-safe base64 without padding, for opaque cursors.
std::string base64url(std::string_view bytes);
/// Inverse of base64url(); nullopt for characters outside its alphabet.
std::optional<std::string> unbase64url(std::string_view text);

}  // namespace tessera::sdk::rest
