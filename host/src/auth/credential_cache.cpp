#include "auth/credential_cache.hpp"

namespace tessera::host::auth {

std::optional<IdentityPtr> CredentialCache::find(std::int64_t tenant_id, const std::string& hash) {
    if (ttl_.count() == 0) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    const std::string k = key(tenant_id, hash);
    std::lock_guard lock(mutex_);
    auto it = entries_.find(k);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        lru_.erase(it->second.lru);
        entries_.erase(it);
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.identity;
}

void CredentialCache::put(std::int64_t tenant_id, const std::string& hash, IdentityPtr identity) {
    if (ttl_.count() == 0) return;
    const std::string k = key(tenant_id, hash);
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(k); it != entries_.end()) {
        lru_.erase(it->second.lru);
        entries_.erase(it);
    }
    while (entries_.size() >= capacity_ && !lru_.empty()) {
        entries_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(k);
    entries_.emplace(k, Entry{std::move(identity), std::chrono::steady_clock::now() + ttl_, lru_.begin()});
}

void CredentialCache::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
    lru_.clear();
}

}  // namespace tessera::host::auth
