#include "auth/audit_log.hpp"

#include "auth/crypto.hpp"

namespace tessera::host::auth {

bool secretLooking(const std::string& key) {
    std::string k = key;
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* word : {"password", "token", "secret", "totp", "code", "otp"})
        if (k.find(word) != std::string::npos) return true;
    return false;
}

sdk::Json maskedFields(const std::string& body) {
    sdk::Json out = sdk::Json::object();
    auto json = sdk::parseJson(body);
    if (!json.is_object()) return out;
    std::size_t n = 0;
    for (const auto& [key, value] : json.items()) {
        if (++n > 100) break;
        const std::string k = key.substr(0, 100);
        if (secretLooking(k)) out[k] = "***";
        else if (value.is_string() && value.get<std::string>().size() > 200)
            out[k] = value.get<std::string>().substr(0, 200) + "...";
        else if ((value.is_object() || value.is_array()) && value.dump().size() > 500)
            out[k] = "(" + std::to_string(value.size()) + " items)";
        else out[k] = value;
    }
    return out;
}

void writeAudit(sdk::Database& db, const AuditEntry& e) {
    const auto dump = [](const sdk::Json& j) { return j.dump(-1, ' ', false, sdk::Json::error_handler_t::replace); };
    db.execute("INSERT INTO audit_log (at, actor_id, actor_kind, actor_name, credential_id, action, method, route, "
               "status, record, changed_fields, client_address, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {isoNow(), e.actor_id, e.actor_kind.empty() ? "anonymous" : e.actor_kind, e.actor_name.substr(0, 200),
                e.credential_id, e.action.substr(0, 300), e.method, e.route.substr(0, 300), e.status, dump(e.record),
                dump(e.changed_fields), e.client_address.substr(0, 64), e.request_id});
}

std::pair<sdk::Json, std::string> queryAudit(sdk::Database& db, const AuditQuery& q) {
    std::string sql =
        "SELECT id, at, actor_id, actor_kind, actor_name, credential_id, action, method, route, status, record, "
        "changed_fields, client_address, request_id FROM audit_log WHERE 1 = 1";
    sdk::Params params;
    if (q.actor) {
        sql += " AND actor_id = ?";
        params.emplace_back(*q.actor);
    }
    if (q.action) {
        if (!q.action->empty() && q.action->back() == '*') {
            // A prefix match without LIKE, so '%' and '_' in the filter mean themselves.
            const std::string prefix = q.action->substr(0, q.action->size() - 1);
            sql += " AND substr(action, 1, ?) = ?";
            params.emplace_back(static_cast<std::int64_t>(prefix.size()));
            params.emplace_back(prefix);
        } else {
            sql += " AND action = ?";
            params.emplace_back(*q.action);
        }
    }
    if (q.since) {
        sql += " AND at >= ?";
        params.emplace_back(*q.since);
    }
    if (q.until) {
        sql += " AND at < ?";
        params.emplace_back(*q.until);
    }
    if (q.before_id) {
        sql += " AND id < ?";
        params.emplace_back(*q.before_id);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(q.limit + 1));
    sdk::Json data = sdk::Json::array();
    std::string next;
    std::int64_t last_id = 0;
    int count = 0;
    for (const auto& r : db.query(sql, params)) {
        if (++count > q.limit) {
            next = "a" + std::to_string(last_id);
            break;
        }
        last_id = r["id"].asInt();
        auto parse = [](const std::string& s) {
            auto j = sdk::parseJson(s);
            return j.is_discarded() ? sdk::Json::object() : j;
        };
        data.push_back({{"id", "aud_" + std::to_string(last_id)},
                        {"at", r["at"].asText()},
                        {"actor", {{"id", r["actor_id"].asText()},
                                   {"kind", r["actor_kind"].asText()},
                                   {"name", r["actor_name"].asText()},
                                   {"credential_id", r["credential_id"].asText()}}},
                        {"action", r["action"].asText()},
                        {"method", r["method"].asText()},
                        {"route", r["route"].asText()},
                        {"status", r["status"].asInt()},
                        {"record", parse(r["record"].asText())},
                        {"changed_fields", parse(r["changed_fields"].asText())},
                        {"client_address", r["client_address"].asText()},
                        {"request_id", r["request_id"].asText()}});
    }
    return {data, next};
}

}  // namespace tessera::host::auth
