#pragma once
// The ids the host gives its records ("wf_…", "usr_…", "run_…"): opaque, unique, and NOT
// secret. Their random characters come from the same per-thread generator as plugins'
// sdk::rest::newId (seeded from the OS CSPRNG, no system call per id), so every id in a
// tenant database has one alphabet: Crockford-style base32, "0-9a-z" without i, l, o, u.
// Someone who sees many ids could in principle predict later ones, so an id must never
// be what grants access: secrets (tokens, session secrets, reset links, recovery codes)
// come from auth/crypto.hpp, which draws every byte from the OS CSPRNG.

#include <cstddef>
#include <string>
#include <string_view>

namespace tessera::host {

// The usual random part: 100 bits, as plugins' ids.
inline constexpr std::size_t kRecordIdChars = 20;
// Auth's records (users, roles, tokens, sessions) have always had 16 characters (80 bits)
// and auth::plausibleId checks that length, so their ids keep it.
inline constexpr std::size_t kAuthIdChars = 16;

// `prefix` + `chars` (1..20) random base32 characters. Thread-safe.
std::string newRecordId(std::string_view prefix, std::size_t chars = kRecordIdChars);

// `prefix` + 20 characters that sort, as text, in the order the ids were made within this
// process (11 of a microsecond clock kept strictly increasing, then 9 random), so run
// logs list newest first even when runs start within the same millisecond. Thread-safe.
std::string newSortableId(std::string_view prefix);

}  // namespace tessera::host
