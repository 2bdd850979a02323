#include "mail/mail_module.hpp"

#include <regex>
#include <stdexcept>

#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/list_query.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "core/clock.hpp"
#include "mail/mail_message.hpp"

namespace tessera::host {
namespace {

using sdk::ApiError;
using sdk::Json;
using sdk::rest::invalidField;
using M = sdk::Method;

constexpr const char* kPermission = "mail.manage";

using sdk::rest::textOrNull;

Json messageJson(const sdk::Row& row) {
    return {{"id", row["id"].asText()},
            {"kind", row["kind"].asText()},
            {"to", row["to_address"].asText()},
            {"subject", row["subject"].asText()},
            {"template", textOrNull(row["template"])},
            {"source", row["source"].asText()},
            {"status", row["status"].asText()},
            {"attempts", row["attempts"].asInt()},
            {"next_attempt_at", row["next_attempt_at"].asText()},
            {"last_error", textOrNull(row["last_error"])},
            {"created_at", row["created_at"].asText()},
            {"sent_at", textOrNull(row["sent_at"])}};
}

constexpr const char* kMessageColumns =
    "SELECT id, kind, to_address, subject, template, source, status, attempts, next_attempt_at, last_error, "
    "created_at, sent_at FROM mail_outbox";

const std::string& templateName(const sdk::Request& req) {
    static const std::regex shape("^[a-z0-9][a-z0-9_.-]{0,99}$");
    const std::string& name = req.param("name");
    if (!std::regex_match(name, shape)) throw ApiError(404, "template_not_found", "no such mail template");
    return name;
}

}  // namespace

void MailModule::declare(sdk::Registrar& r) {
    r.permission(kPermission, "See outgoing e-mail and its delivery, retry it, manage mail templates and the sender");

    r.route({.method = M::Get, .path = "/api/v1/mail", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 std::string sql = kMessageColumns;
                 sdk::Params params;
                 std::vector<std::string> where;
                 if (auto s = req.queryParam("status")) {
                     if (*s != "pending" && *s != "sending" && *s != "sent" && *s != "failed")
                         sdk::rest::badQuery("status", "must be pending, sending, sent or failed");
                     where.push_back("status = ?");
                     params.emplace_back(*s);
                 }
                 // Cursor: the created_at|id of the last message of the previous page.
                 if (auto c = req.queryParam("cursor")) {
                     const auto bar = c->find('|');
                     if (bar == std::string::npos || !parseIsoTime(c->substr(0, bar)))
                         sdk::rest::badQuery("cursor", "is not a cursor this API returned");
                     where.push_back("(created_at < ? OR (created_at = ? AND id < ?))");
                     params.emplace_back(c->substr(0, bar));
                     params.emplace_back(c->substr(0, bar));
                     params.emplace_back(c->substr(bar + 1));
                 }
                 std::int64_t limit = sdk::rest::kDefaultLimit;
                 if (auto l = req.queryParam("limit")) limit = static_cast<std::int64_t>(sdk::rest::parseLimit(*l));
                 for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : " WHERE ") + where[i];
                 sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(limit + 1);
                 auto rows = scope.db().query(sql, params);
                 Json data = Json::array();
                 Json next = nullptr;
                 for (std::size_t i = 0; i < rows.size(); ++i) {
                     if (static_cast<std::int64_t>(i) == limit) {
                         const auto& last = rows[i - 1];
                         next = last["created_at"].asText() + "|" + last["id"].asText();
                         break;
                     }
                     data.push_back(messageJson(rows[i]));
                 }
                 return sdk::Response::json({{"data", data}, {"next_cursor", next}});
             }});

    r.route({.method = M::Post, .path = "/api/v1/mail/{id}/retry", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 const std::string& id = req.param("id");
                 auto row = scope.db().queryOne(std::string(kMessageColumns) + " WHERE id = ?", {id});
                 if (!row) throw ApiError(404, "mail_not_found", "no such message");
                 if ((*row)["status"].asText() != "failed")
                     throw ApiError(409, "not_failed", "only a failed message can be retried",
                                    {{"status", (*row)["status"].asText()}});
                 scope.db().execute(
                     "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL "
                     "WHERE id = ? AND status = 'failed'",
                     {isoNow(), id});
                 return sdk::Response::json(messageJson(*scope.db().queryOne(std::string(kMessageColumns) + " WHERE id = ?", {id})));
             }});

    r.route({.method = M::Get, .path = "/api/v1/mail/templates", .permission = kPermission,
             .handler = [](const sdk::Request&, sdk::TenantScope& scope) {
                 Json data = Json::array();
                 for (const auto& row : scope.db().query("SELECT name, body, updated_at FROM mail_templates ORDER BY name"))
                     data.push_back({{"name", row["name"].asText()}, {"body", row["body"].asText()},
                                     {"updated_at", row["updated_at"].asText()}});
                 return sdk::Response::json({{"data", data}});
             }});
    r.route({.method = M::Get, .path = "/api/v1/mail/templates/{name}", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 auto row = scope.db().queryOne("SELECT name, body, updated_at FROM mail_templates WHERE name = ?",
                                                {templateName(req)});
                 if (!row) throw ApiError(404, "template_not_found", "no such mail template");
                 return sdk::Response::json({{"name", (*row)["name"].asText()}, {"body", (*row)["body"].asText()},
                                             {"updated_at", (*row)["updated_at"].asText()}});
             }});
    r.route({.method = M::Put, .path = "/api/v1/mail/templates/{name}", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 const std::string name = templateName(req);
                 const Json body = sdk::parseJsonObject(req);
                 const std::string text = sdk::rest::requiredString(body, "body", 256 * 1024);
                 try {
                     renderTemplate(text, Json::object());
                 } catch (const std::invalid_argument& e) {
                     invalidField("body", std::string("is not a valid Mustache template: ") + e.what());
                 }
                 const std::string now = isoNow();
                 auto& db = scope.db();
                 db.transaction([&] {
                     db.execute("DELETE FROM mail_templates WHERE name = ?", {name});
                     db.execute("INSERT INTO mail_templates (name, body, updated_at) VALUES (?, ?, ?)", {name, text, now});
                 });
                 return sdk::Response::json({{"name", name}, {"body", text}, {"updated_at", now}});
             }});
    r.route({.method = M::Delete, .path = "/api/v1/mail/templates/{name}", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 if (scope.db().execute("DELETE FROM mail_templates WHERE name = ?", {templateName(req)}) == 0)
                     throw ApiError(404, "template_not_found", "no such mail template");
                 return sdk::Response::empty(204);
             }});

    r.route({.method = M::Get, .path = "/api/v1/mail/settings", .permission = kPermission,
             .handler = [](const sdk::Request&, sdk::TenantScope& scope) {
                 auto row = scope.db().queryOne("SELECT value FROM tessera_settings WHERE key = 'mail.from'");
                 return sdk::Response::json({{"from", row ? Json((*row)["value"].asText()) : Json()}});
             }});
    r.route({.method = M::Put, .path = "/api/v1/mail/settings", .permission = kPermission,
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 const Json body = sdk::parseJsonObject(req);
                 auto it = body.find("from");
                 if (it == body.end()) invalidField("from", "is required (a sender like \"Acme <billing@acme.example>\", or null)");
                 auto& db = scope.db();
                 if (it->is_null()) {
                     db.execute("DELETE FROM tessera_settings WHERE key = 'mail.from'");
                     return sdk::Response::json({{"from", nullptr}});
                 }
                 static const std::regex sender(R"(^([^<>\r\n"]{1,100} )?<?[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+>?$)");
                 if (!it->is_string() || !std::regex_match(it->get<std::string>(), sender))
                     invalidField("from", "must be an address, optionally with a name: \"Acme <billing@acme.example>\"");
                 const std::string from = it->get<std::string>();
                 db.transaction([&] {
                     db.execute("DELETE FROM tessera_settings WHERE key = 'mail.from'");
                     db.execute("INSERT INTO tessera_settings (key, value) VALUES ('mail.from', ?)", {from});
                 });
                 return sdk::Response::json({{"from", from}});
             }});
}

}  // namespace tessera::host
