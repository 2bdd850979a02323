#include <tessera/sdk/rest/validation.hpp>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/text.hpp>

namespace tessera::sdk::rest {
namespace {

// Members every record has and no body may set.
const std::set<std::string> kAlwaysReadOnly = {"id", "version", "created_at", "updated_at"};

// Active ISO 4217 codes (list of 2024) with their minor-unit exponents, sorted by code.
constexpr Currency kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHF", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
    {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2},
    {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2},
    {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
    {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
    {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2},
    {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
    {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
    {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
};

// An integer in [min, max], else "must be <what> from <min> to <max_text>".
std::optional<std::int64_t> readInteger(BodyReader& in, const std::string& name, std::int64_t min, std::int64_t max,
                                        bool required, std::string_view what, const std::string& max_text) {
    const auto* v = in.field(name, required);
    if (!v) return std::nullopt;
    // An unsigned JSON integer above INT64_MAX would wrap in get<int64_t>().
    const bool in_range = v->is_number_integer() &&
                          !(v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) &&
                          v->get<std::int64_t>() >= min && v->get<std::int64_t>() <= max;
    if (!in_range) {
        in.error(name, "must be " + std::string(what) + " from " + std::to_string(min) + " to " + max_text);
        return std::nullopt;
    }
    return v->get<std::int64_t>();
}

}  // namespace

void FieldErrors::add(const std::string& field, const std::string& problem) {
    if (!errors_.contains(field)) errors_[field] = problem;
}

void FieldErrors::throwIfAny() const { throwIfInvalid(errors_); }

BodyReader::BodyReader(const Json& body, const std::set<std::string>& writable, FieldErrors& errors,
                       std::string prefix, const std::set<std::string>& read_only)
    : body_(body), errors_(errors), prefix_(std::move(prefix)) {
    for (const auto& [key, value] : body.items()) {
        if (writable.contains(key)) continue;
        error(key, kAlwaysReadOnly.contains(key) || read_only.contains(key) ? "is read-only" : "unknown field");
    }
}

const Json* BodyReader::field(const std::string& name, bool required) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
        if (required) error(name, "is required");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> BodyReader::text(const std::string& name, std::size_t max_chars, bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    if (auto problem = textProblem(*v, max_chars, !required)) {
        error(name, *problem);
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> BodyReader::id(const std::string& name, bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    if (textProblem(*v, kMaxIdLength, false)) {
        error(name, "must be an id (a string of 1-" + std::to_string(kMaxIdLength) + " characters)");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> BodyReader::email(const std::string& name, std::size_t max_chars, bool required) {
    auto value = text(name, max_chars, required);
    if (value && !value->empty() && !validEmail(*value)) {
        error(name, "must be a valid email address");
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> BodyReader::integer(const std::string& name, std::int64_t min, std::int64_t max,
                                                bool required) {
    return readInteger(*this, name, min, max, required, "an integer", std::to_string(max));
}

std::optional<std::int64_t> BodyReader::amount(const std::string& name, std::int64_t min, bool required) {
    return readInteger(*this, name, min, kMaxAmount, required, "an integer amount in minor units", "10^15");
}

std::optional<bool> BodyReader::boolean(const std::string& name, bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        error(name, "must be true or false");
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<std::string> BodyReader::date(const std::string& name, bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string() || !validDate(v->get_ref<const std::string&>())) {
        error(name, "must be a date (YYYY-MM-DD)");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> BodyReader::oneOf(const std::string& name, const std::vector<std::string>& allowed,
                                             bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    for (const auto& a : allowed)
        if (*v == a) return a;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    error(name, "must be one of " + list);
    return std::nullopt;
}

std::optional<std::string> BodyReader::currency(const std::string& name, bool required) {
    const auto* v = field(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string() || !findCurrency(v->get_ref<const std::string&>())) {
        error(name, "must be an ISO 4217 currency code such as \"BRL\"");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> textProblem(const Json& value, std::size_t max_chars, bool may_be_empty) {
    if (!value.is_string()) return "must be a string";
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty() && !may_be_empty) return "must not be empty";
    if (utf8Length(s) > max_chars) return tooLong(max_chars);
    return std::nullopt;
}

std::string tooLong(std::size_t max_chars) { return "must be at most " + std::to_string(max_chars) + " characters"; }

bool validEmail(std::string_view e) {
    if (e.size() > 254) return false;
    const auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = e.substr(at + 1);
    if (domain.size() < 3 || domain.front() == '.' || domain.back() == '.' ||
        domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos)
        return false;
    for (char c : e) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
            c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
            return false;
    }
    return true;
}

std::optional<Currency> findCurrency(std::string_view code) {
    for (const auto& c : kCurrencies)
        if (c.code == code) return c;
    return std::nullopt;
}

}  // namespace tessera::sdk::rest
