#include "money.hpp"

#include <algorithm>

namespace tessera::plugins::billing {
namespace {

// Active ISO 4217 codes (list of 2024) with their minor-unit exponents. Funds codes and
// precious metals are left out: nobody invoices in XAU.
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

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

Amount checked(__int128 v) {
    if (v > kMaxAmount || v < -kMaxAmount)
        throw AmountOutOfRange("amount exceeds the largest accepted value (10^15 minor units)");
    return static_cast<Amount>(v);
}

}  // namespace

std::optional<Currency> findCurrency(std::string_view code) {
    for (const auto& c : kCurrencies)
        if (c.code == code) return c;
    return std::nullopt;
}

CurrencyMismatch::CurrencyMismatch(std::string expected, std::string found)
    : std::runtime_error("currency " + found + " does not match " + expected), expected_(std::move(expected)),
      found_(std::move(found)) {}

std::optional<std::int64_t> parseScaledDecimal(std::string_view text, int max_decimals, std::string& error) {
    std::size_t pos = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) ++pos;
    std::int64_t int_part = 0;
    std::size_t int_digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (++int_digits > 12) {
            error = "must have at most 12 digits before the decimal point";
            return std::nullopt;
        }
        int_part = int_part * 10 + (text[pos++] - '0');
    }
    std::int64_t frac = 0;
    int frac_digits = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (++frac_digits > max_decimals) {
                error = "must have at most " + std::to_string(max_decimals) + " decimals";
                return std::nullopt;
            }
            frac = frac * 10 + (text[pos++] - '0');
        }
        if (frac_digits == 0) int_digits = 0;  // "5." is not a decimal
    }
    if (int_digits == 0 || pos != text.size()) {
        error = "must be a decimal number such as \"12.5\"";
        return std::nullopt;
    }
    const std::int64_t scaled = int_part * pow10(max_decimals) + frac * pow10(max_decimals - frac_digits);
    return negative ? -scaled : scaled;
}

std::string formatScaledDecimal(std::int64_t scaled, int decimals) {
    const bool negative = scaled < 0;
    const auto magnitude = static_cast<std::uint64_t>(negative ? -(scaled + 1) : scaled) + (negative ? 1 : 0);
    const auto scale = static_cast<std::uint64_t>(pow10(decimals));
    std::string out = std::to_string(magnitude / scale);
    std::string frac = std::to_string(magnitude % scale);
    frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += "." + frac;
    return negative && out != "0" ? "-" + out : out;
}

std::string formatAmount(Amount amount, const Currency& currency) {
    const bool negative = amount < 0;
    const auto magnitude = static_cast<std::uint64_t>(negative ? -(amount + 1) : amount) + (negative ? 1 : 0);
    const auto scale = static_cast<std::uint64_t>(pow10(currency.exponent));
    std::string out = (negative ? "-" : "") + std::to_string(magnitude / scale);
    if (currency.exponent > 0) {
        std::string frac = std::to_string(magnitude % scale);
        frac.insert(0, static_cast<std::size_t>(currency.exponent) - frac.size(), '0');
        out += "." + frac;
    }
    return out;
}

__int128 roundHalfEven(__int128 numerator, __int128 denominator) {
    __int128 quotient = numerator / denominator;  // truncates toward zero
    const __int128 remainder = numerator % denominator;
    if (remainder == 0) return quotient;
    const __int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
    const int direction = numerator < 0 ? -1 : 1;
    if (twice > denominator || (twice == denominator && quotient % 2 != 0)) quotient += direction;
    return quotient;
}

LineAmounts computeLine(const LineInput& line) {
    if (line.unit_price < 0) throw std::invalid_argument("unit price must not be negative");
    if (line.quantity <= 0) throw std::invalid_argument("quantity must be positive");
    if (line.unit_price > kMaxAmount) throw AmountOutOfRange("unit price exceeds the largest accepted value");
    LineAmounts out;
    out.gross = checked(roundHalfEven(static_cast<__int128>(line.unit_price) * line.quantity, kQuantityScale));
    if (line.discount_percent) {
        if (*line.discount_percent < 0 || *line.discount_percent > kPercentScale)
            throw AmountOutOfRange("discount percent must be between 0 and 100");
        out.discount = checked(roundHalfEven(static_cast<__int128>(out.gross) * *line.discount_percent, kPercentScale));
    } else if (line.discount_amount) {
        if (*line.discount_amount < 0) throw AmountOutOfRange("discount must not be negative");
        if (*line.discount_amount > out.gross) throw AmountOutOfRange("discount exceeds the line amount");
        out.discount = *line.discount_amount;
    }
    const Amount net = out.gross - out.discount;
    if (line.tax_percent < 0) throw AmountOutOfRange("tax percent must not be negative");
    if (line.tax_inclusive) {
        out.tax = checked(roundHalfEven(static_cast<__int128>(net) * line.tax_percent, kPercentScale + line.tax_percent));
        out.subtotal = net - out.tax;
        out.total = net;
    } else {
        out.tax = checked(roundHalfEven(static_cast<__int128>(net) * line.tax_percent, kPercentScale));
        out.subtotal = net;
        out.total = checked(static_cast<__int128>(net) + out.tax);
    }
    return out;
}

void DocumentTotals::add(std::string_view line_currency, const LineAmounts& line) {
    if (line_currency != currency_) throw CurrencyMismatch(currency_, std::string(line_currency));
    gross_ = checked(static_cast<__int128>(gross_) + line.gross);
    discount_ = checked(static_cast<__int128>(discount_) + line.discount);
    subtotal_ = checked(static_cast<__int128>(subtotal_) + line.subtotal);
    tax_ = checked(static_cast<__int128>(tax_) + line.tax);
    total_ = checked(static_cast<__int128>(total_) + line.total);
}

Amount addMoney(Amount a, std::string_view a_currency, Amount b, std::string_view b_currency) {
    if (a_currency != b_currency) throw CurrencyMismatch(std::string(a_currency), std::string(b_currency));
    return checked(static_cast<__int128>(a) + b);
}

}  // namespace tessera::plugins::billing
