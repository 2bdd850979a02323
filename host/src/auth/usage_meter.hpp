#pragma once
// How much of its plan a tenant uses: records per plugin (rows of the tables each plugin
// declared with Registrar::countsRecords) and storage (its database's size). Measuring
// takes a query, so results are kept for `ttl` and the guard checks them on writes only;
// a record created through the API bumps the kept count at once, so a burst within the
// ttl cannot run far past the limit.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <tessera/sdk/scope.hpp>

#include "db/connection_pool.hpp"

namespace tessera::host::auth {

class UsageMeter {
public:
    UsageMeter(ConnectionPool& pool, std::chrono::milliseconds ttl) : pool_(pool), ttl_(ttl) {}

    std::int64_t records(const sdk::TenantInfo& tenant, const std::string& plugin, const std::set<std::string>& tables);
    void recordCreated(const sdk::TenantInfo& tenant, const std::string& plugin);
    std::int64_t storageBytes(const sdk::TenantInfo& tenant);

private:
    struct Reading {
        std::int64_t value = 0;
        std::chrono::steady_clock::time_point at;
    };
    bool fresh(const Reading& r) const { return std::chrono::steady_clock::now() - r.at < ttl_; }

    ConnectionPool& pool_;
    std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::map<std::pair<std::int64_t, std::string>, Reading> records_;
    std::map<std::int64_t, Reading> storage_;
};

}  // namespace tessera::host::auth
