#include "money.hpp"

#include <algorithm>

namespace tessera::plugins::billing {
namespace {

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
