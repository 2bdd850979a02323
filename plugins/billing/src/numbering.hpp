#pragma once
/// Document numbers: a per-tenant, gap-free counter per series, formatted by a template
/// such as "INV-{YYYY}-{000000}".
///
/// Tokens: {YYYY} year, {YY} two-digit year, {MM} month, and exactly one counter token of
/// zeros ({000000}: at least that many digits, zero-padded). A template with a year (or
/// month) token restarts its counter every year (or month).

#include <cstdint>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

/// What is wrong with a number template; empty when valid.
std::string numberFormatProblem(const std::string& format);

/// The counter series a template draws from on `date` ("invoice:2026", "invoice:2026-03"
/// or "invoice"), so that a yearly template restarts at 1 each year.
std::string sequenceKey(const std::string& series, const std::string& format, const std::string& date);

/// The template filled in for `date` ("YYYY-MM-DD") and `counter`.
std::string formatNumber(const std::string& format, const std::string& date, std::int64_t counter);

/// Takes the next value of `key`, starting at 1. Must run inside the transaction that
/// uses the number: the counter row stays locked until it commits (PostgreSQL row lock;
/// SQLite transactions are BEGIN IMMEDIATE), and a rollback returns the value, so
/// numbers have neither gaps nor duplicates.
std::int64_t takeSequenceValue(sdk::Database& db, const std::string& key);

}  // namespace tessera::plugins::billing
