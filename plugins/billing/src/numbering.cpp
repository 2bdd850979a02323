#include "numbering.hpp"

#include <stdexcept>

namespace tessera::plugins::billing {
namespace {

struct Token {
    std::size_t begin = 0, end = 0;  // [begin, end) including braces
    std::string name;
};

// Splits a template into its {tokens}; throws std::invalid_argument with a client phrase.
std::vector<Token> tokens(const std::string& format) {
    std::vector<Token> out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '}') throw std::invalid_argument("has a '}' without '{'");
        if (format[i] != '{') continue;
        const auto close = format.find('}', i);
        if (close == std::string::npos) throw std::invalid_argument("has a '{' without '}'");
        Token t{i, close + 1, format.substr(i + 1, close - i - 1)};
        const bool zeros = !t.name.empty() && t.name.find_first_not_of('0') == std::string::npos;
        if (!zeros && t.name != "YYYY" && t.name != "YY" && t.name != "MM")
            throw std::invalid_argument("unknown token {" + t.name + "}; use {YYYY}, {YY}, {MM} and {000000}");
        out.push_back(std::move(t));
        i = close;
    }
    return out;
}

bool isCounter(const Token& t) { return t.name.find_first_not_of('0') == std::string::npos; }

}  // namespace

std::string numberFormatProblem(const std::string& format) {
    try {
        if (format.empty() || format.size() > 60) return "must be 1-60 characters";
        for (unsigned char c : format)
            if (c < 0x20 || c > 0x7E) return "must be printable ASCII";
        int counters = 0;
        for (const auto& t : tokens(format)) counters += isCounter(t) ? 1 : 0;
        if (counters != 1) return "must contain exactly one counter token such as {000000}";
        if (format.find("{MM}") != std::string::npos && format.find("{YY") == std::string::npos)
            return "{MM} needs {YYYY} or {YY} too, or numbers would repeat every year";
        return "";
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

std::string sequenceKey(const std::string& series, const std::string& format, const std::string& date) {
    const bool year = format.find("{YY") != std::string::npos;
    const bool month = format.find("{MM}") != std::string::npos;
    if (year && month) return series + ":" + date.substr(0, 7);
    if (year) return series + ":" + date.substr(0, 4);
    return series;
}

std::string formatNumber(const std::string& format, const std::string& date, std::int64_t counter) {
    std::string out;
    std::size_t pos = 0;
    for (const auto& t : tokens(format)) {
        out += format.substr(pos, t.begin - pos);
        if (t.name == "YYYY") out += date.substr(0, 4);
        else if (t.name == "YY") out += date.substr(2, 2);
        else if (t.name == "MM") out += date.substr(5, 2);
        else {
            std::string digits = std::to_string(counter);
            if (digits.size() < t.name.size()) digits.insert(0, t.name.size() - digits.size(), '0');
            out += digits;
        }
        pos = t.end;
    }
    return out + format.substr(pos);
}

std::int64_t takeSequenceValue(sdk::Database& db, const std::string& key) {
    if (!db.inTransaction()) throw std::logic_error("takeSequenceValue must run inside a transaction");
    db.execute("INSERT INTO billing_sequences (name, next_value) VALUES (?, 1) ON CONFLICT (name) DO NOTHING", {key});
    // UPDATE ... RETURNING reads and advances in one statement; on PostgreSQL the row lock
    // it takes makes concurrent issuers wait for this transaction.
    const auto rows = db.query("UPDATE billing_sequences SET next_value = next_value + 1 WHERE name = ?"
                           " RETURNING next_value - 1 AS taken",
                           {key});
    if (rows.size() != 1) throw std::runtime_error("sequence row vanished: " + key);
    return rows[0]["taken"].asInt();
}

}  // namespace tessera::plugins::billing
