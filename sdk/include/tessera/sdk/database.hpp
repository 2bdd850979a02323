#pragma once
/// Tenant-scoped database access for plugins.
///
/// A Database is always bound to one tenant: on SQLite it is that tenant's file, on
/// PostgreSQL that tenant's schema. There is no way to name another tenant's data
/// through it. The host implements it over SOCI; plugins see only these types, so no
/// SOCI header enters a plugin's translation units.
///
/// Placeholders are `?`, bound in order from `Params`. Write portable SQL where you
/// can; `engine()` tells which dialect is underneath when you cannot.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <tessera/sdk/version.hpp>

namespace tessera::sdk {

enum class Engine { Sqlite, Postgres };

/// One SQL value: NULL, integer, real or text (booleans bind as 0/1).
class Value {
public:
    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : v_(static_cast<std::int64_t>(b ? 1 : 0)) {}
    Value(int i) : v_(static_cast<std::int64_t>(i)) {}
    Value(long i) : v_(static_cast<std::int64_t>(i)) {}
    Value(long long i) : v_(static_cast<std::int64_t>(i)) {}
    Value(double d) : v_(d) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(const char* s) : v_(std::string(s)) {}
    template <class T>
    Value(const std::optional<T>& o) {
        if (o) *this = Value(*o);
    }

    bool isNull() const { return std::holds_alternative<std::monostate>(v_); }
    bool isInt() const { return std::holds_alternative<std::int64_t>(v_); }
    bool isReal() const { return std::holds_alternative<double>(v_); }
    bool isText() const { return std::holds_alternative<std::string>(v_); }

    /// The integer value; text holding an integer is converted. Throws std::runtime_error otherwise.
    std::int64_t asInt() const {
        if (isInt()) return std::get<std::int64_t>(v_);
        if (isReal()) return static_cast<std::int64_t>(std::get<double>(v_));
        if (isText()) return std::stoll(std::get<std::string>(v_));
        throw std::runtime_error("NULL where an integer was expected");
    }
    double asReal() const {
        if (isReal()) return std::get<double>(v_);
        if (isInt()) return static_cast<double>(std::get<std::int64_t>(v_));
        if (isText()) return std::stod(std::get<std::string>(v_));
        throw std::runtime_error("NULL where a number was expected");
    }
    /// Text of the value (numbers are formatted); empty for NULL.
    std::string asText() const {
        if (isText()) return std::get<std::string>(v_);
        if (isInt()) return std::to_string(std::get<std::int64_t>(v_));
        if (isReal()) return std::to_string(std::get<double>(v_));
        return {};
    }
    bool asBool() const { return !isNull() && asInt() != 0; }

    const std::variant<std::monostate, std::int64_t, double, std::string>& raw() const { return v_; }

private:
    std::variant<std::monostate, std::int64_t, double, std::string> v_;
};

using Params = std::vector<Value>;

/// One result row. Column lookup by name is linear: rows are small.
class Row {
public:
    Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
        : columns_(std::move(columns)), values_(std::move(values)) {}

    std::size_t size() const { return values_.size(); }
    const Value& at(std::size_t i) const { return values_.at(i); }
    /// Value of a named column. Throws std::out_of_range naming the column if absent.
    const Value& operator[](std::string_view column) const {
        for (std::size_t i = 0; i < columns_->size(); ++i)
            if ((*columns_)[i] == column) return values_[i];
        throw std::out_of_range("no column '" + std::string(column) + "' in result");
    }
    const std::vector<std::string>& columns() const { return *columns_; }

private:
    std::shared_ptr<const std::vector<std::string>> columns_;
    std::vector<Value> values_;
};

using Rows = std::vector<Row>;

/// Thrown for a statement that violates a UNIQUE constraint, so that plugins can map
/// it to 409 without parsing engine messages.
class TESSERA_API UniqueViolation : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A tenant's database, borrowed for one request or job. Not thread-safe: use it from
/// the thread that received it, and only during the call it was given to.
class Database {
public:
    virtual ~Database() = default;

    virtual Engine engine() const = 0;
    /// Runs a statement; returns the number of affected rows.
    virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
    /// Runs a query and returns all rows.
    virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
    /// Runs a query and calls `onRow` for each row without keeping them, for exports
    /// of any size. Returning false from `onRow` stops early.
    virtual void stream(std::string_view sql, const Params& params,
                        const std::function<bool(const Row&)>& onRow) = 0;

    /// First row of a query, if any.
    std::optional<Row> queryOne(std::string_view sql, const Params& params = {}) {
        std::optional<Row> first;
        stream(sql, params, [&](const Row& r) {
            first.emplace(r);
            return false;
        });
        return first;
    }

    /// Runs `work` in a transaction: committed when it returns, rolled back when it
    /// throws (the exception is rethrown). Nested calls join the outer transaction.
    template <class F>
    auto transaction(F&& work) -> decltype(work()) {
        if (inTransaction()) return work();
        begin();
        try {
            if constexpr (std::is_void_v<decltype(work())>) {
                work();
                commit();
            } else {
                auto result = work();
                commit();
                return result;
            }
        } catch (...) {
            rollback();
            throw;
        }
    }

    virtual bool inTransaction() const = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
};

}  // namespace tessera::sdk
