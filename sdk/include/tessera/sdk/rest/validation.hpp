#pragma once
/// The validation kit every route uses for request bodies (docs/api.md, "Errors"): a
/// BodyReader reads typed fields out of a JSON object and records what is wrong under
/// each field's name in FieldErrors, so one 422 validation_failed names every problem at
/// once. One set of messages for the whole product:
///
///   is required · unknown field · is read-only · must be a string · must not be empty ·
///   must be at most N characters (code points, not bytes) · must be an integer from A to B ·
///   must be true or false · must be a date (YYYY-MM-DD) · must be one of a, b, c ·
///   must be an id (a string of 1-64 characters) · must be a valid email address ·
///   must be an ISO 4217 currency code such as "BRL" ·
///   must be an integer amount in minor units from A to 10^15
///
/// Plugin-specific kinds (tags, addresses, decimals) read the raw value with field() and
/// report with error(), so they still land in the same FieldErrors. Part of tessera_sdk_rest.
///
///     sdk::rest::FieldErrors errors;
///     sdk::rest::BodyReader in(body, {"name", "email"}, errors);
///     const auto name = in.text("name", 200, true);
///     const auto email = in.email("email", 254);
///     errors.throwIfAny();

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tessera/sdk/http.hpp>

namespace tessera::sdk::rest {

/// The largest amount in minor units a price, a line or a total may have: 10^15 (ten
/// trillion dollars), leaving room to add many of them without overflowing int64.
inline constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000;
/// Longest id a reference field accepts (ids the host makes are 26 characters).
inline constexpr std::size_t kMaxIdLength = 64;

/// Field name -> what is wrong with it; the first problem recorded for a field is kept.
class FieldErrors {
public:
    void add(const std::string& field, const std::string& problem);
    bool empty() const { return errors_.empty(); }
    bool has(const std::string& field) const { return errors_.contains(field); }
    std::size_t size() const { return errors_.size(); }
    /// {"field": "problem", ...}, the `fields` member of the 422 body.
    const Json& json() const { return errors_; }
    /// Throws ApiError 422 "validation_failed" carrying every field when any was added.
    void throwIfAny() const;

private:
    Json errors_ = Json::object();
};

/// Reads the fields of one JSON object (a body, or an element of an array in it, named
/// with `prefix` such as "lines.0."). Members outside `writable` are refused when the
/// reader is made: "is read-only" for id, version, created_at, updated_at and the names in
/// `read_only`, "unknown field" for the rest.
///
/// Every reader returns nullopt when the field is absent or null (and records "is
/// required" if `required`), or when it is invalid (and records why); so a caller that
/// must tell "absent" from "set to null" asks has() and isNull().
class BodyReader {
public:
    BodyReader(const Json& body, const std::set<std::string>& writable, FieldErrors& errors, std::string prefix = "",
               const std::set<std::string>& read_only = {});
    /// The reader keeps a reference to the body, so a temporary one is refused.
    BodyReader(Json&& body, const std::set<std::string>& writable, FieldErrors& errors, std::string prefix = "",
               const std::set<std::string>& read_only = {}) = delete;

    bool has(const std::string& name) const { return body_.contains(name); }
    bool isNull(const std::string& name) const { return has(name) && body_.at(name).is_null(); }
    /// The member as given; has(name) must be true.
    const Json& raw(const std::string& name) const { return body_.at(name); }

    /// The value of a present, non-null field, or nullptr (recording "is required" when
    /// `required`): the start of a plugin-specific check.
    const Json* field(const std::string& name, bool required = false);

    /// A string of at most `max_chars` characters; a required one must not be empty.
    std::optional<std::string> text(const std::string& name, std::size_t max_chars, bool required = false);
    /// An id of another record: a non-empty string of at most kMaxIdLength characters.
    std::optional<std::string> id(const std::string& name, bool required = false);
    /// text() that must also look like an e-mail address (validEmail()).
    std::optional<std::string> email(const std::string& name, std::size_t max_chars, bool required = false);
    /// An integer (a JSON number without fraction) in [min, max].
    std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max,
                                        bool required = false);
    /// An amount in minor units: an integer in [min, kMaxAmount].
    std::optional<std::int64_t> amount(const std::string& name, std::int64_t min, bool required = false);
    std::optional<bool> boolean(const std::string& name, bool required = false);
    /// "YYYY-MM-DD" naming a real date.
    std::optional<std::string> date(const std::string& name, bool required = false);
    /// One of `allowed`, listed in the message in the order given.
    std::optional<std::string> oneOf(const std::string& name, const std::vector<std::string>& allowed,
                                     bool required = false);
    /// An active ISO 4217 code in upper case (findCurrency()).
    std::optional<std::string> currency(const std::string& name, bool required = false);

    /// Records `problem` for `name` (with the reader's prefix).
    void error(const std::string& name, const std::string& problem) { errors_.add(prefix_ + name, problem); }
    bool failed(const std::string& name) const { return errors_.has(prefix_ + name); }

private:
    const Json& body_;
    FieldErrors& errors_;
    std::string prefix_;
};

/// What is wrong with `value` as a text of 1 (0 when `may_be_empty`) to `max_chars`
/// characters, in the kit's words, or nullopt when it is fine.
std::optional<std::string> textProblem(const Json& value, std::size_t max_chars, bool may_be_empty);

/// "must be at most N characters".
std::string tooLong(std::size_t max_chars);

/// True for a plausible e-mail address: one @, a non-empty local part of at most 64
/// bytes, a dotted domain, no spaces or characters that need quoting, 254 bytes at most.
bool validEmail(std::string_view email);

/// An active ISO 4217 currency and the decimals of its minor unit.
struct Currency {
    std::string_view code;
    int exponent = 2;
};

/// The currency with this upper-case ISO 4217 code (list of 2024), or nullopt. Funds
/// codes, precious metals and test codes (BOV, XAU, XDR, XTS...) are left out: nobody
/// prices a deal or an invoice in them.
std::optional<Currency> findCurrency(std::string_view code);

}  // namespace tessera::sdk::rest
