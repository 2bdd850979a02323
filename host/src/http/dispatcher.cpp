#include "http/dispatcher.hpp"

#include <chrono>
#include <random>

#include <spdlog/spdlog.h>

namespace tessera::host {

std::string newRequestId() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    std::string id(16, '0');
    auto v = rng();
    for (auto& c : id) {
        c = hex[v & 15];
        v >>= 4;
    }
    return id;
}

std::optional<sdk::Method> parseMethod(const std::string& m) {
    if (m == "GET") return sdk::Method::Get;
    if (m == "POST") return sdk::Method::Post;
    if (m == "PUT") return sdk::Method::Put;
    if (m == "PATCH") return sdk::Method::Patch;
    if (m == "DELETE") return sdk::Method::Delete;
    if (m == "HEAD") return sdk::Method::Head;
    if (m == "OPTIONS") return sdk::Method::Options;
    return std::nullopt;
}

namespace {

bool acceptableRequestId(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

void addRequestIdToErrorBody(HttpResponse& r, const std::string& request_id) {
    if (r.status < 400) return;
    auto ct = r.headers.find("Content-Type");
    if (ct == r.headers.end() || ct->second.rfind("application/json", 0) != 0) return;
    auto body = sdk::Json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("error")) return;
    body["request_id"] = request_id;
    r.body = body.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
}

}  // namespace

HttpResponse Dispatcher::error(int status, const std::string& code, const std::string& message,
                               const std::string& request_id, const sdk::Json& fields) {
    sdk::Json body = {{"error", {{"code", code}, {"message", message}}}, {"request_id", request_id}};
    if (!fields.empty()) body["error"]["fields"] = fields;
    HttpResponse r;
    r.status = status;
    r.headers["Content-Type"] = "application/json";
    r.body = body.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
    return r;
}

HttpResponse Dispatcher::handle(HttpRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    std::string request_id;
    if (auto it = request.headers.find("X-Request-Id"); it != request.headers.end() && acceptableRequestId(it->second))
        request_id = it->second;
    else
        request_id = newRequestId();

    std::string tenant_slug = "-";
    HttpResponse response;
    try {
        response = route(request, request_id, tenant_slug);
    } catch (const std::exception& e) {
        spdlog::error("[host req={}] {} {} failed: {}", request_id, request.method, request.path, e.what());
        response = error(500, "internal_error", "internal error; quote the request id when reporting it", request_id);
    }
    response.headers["X-Request-Id"] = request_id;
    if (config_.access_log) {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        spdlog::info("access tenant={} {} {} {} {}us req={}", tenant_slug, request.method, request.path, response.status,
                     us.count(), request_id);
    }
    return response;
}

HttpResponse Dispatcher::health(bool ready, const std::string& request_id) {
    if (!ready) return Dispatcher::error(404, "not_found", "no such route", request_id);
    try {
        auto lease = services_.pool.acquireControl();
        lease.db().queryOne("SELECT 1");
    } catch (const std::exception& e) {
        spdlog::warn("readiness check failed: {}", e.what());
        return error(503, "not_ready", "the control database is not reachable", request_id);
    }
    HttpResponse r;
    r.headers["Content-Type"] = "application/json";
    r.body = R"({"status":"ready"})";
    return r;
}

std::shared_ptr<const TenantRecord> Dispatcher::resolveTenant(const HttpRequest& request, const std::string& request_id,
                                                              std::optional<HttpResponse>& failure) {
    std::shared_ptr<const TenantRecord> tenant;
    if (auto it = request.headers.find("X-Tenant"); it != request.headers.end()) {
        if (!TenantDirectory::validSlug(it->second)) {
            failure = error(400, "invalid_tenant", "the X-Tenant header is not a valid tenant slug", request_id,
                            {{"X-Tenant", "lowercase letters, digits and inner hyphens, 2-63 characters"}});
            return nullptr;
        }
        tenant = directory_.bySlug(it->second);
    } else {
        std::string host;
        if (auto h = request.headers.find("Host"); h != request.headers.end()) host = h->second;
        if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos)
            host.resize(colon);
        for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string suffix = "." + config_.base_domain;
        if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
            const std::string slug = host.substr(0, host.size() - suffix.size());
            if (!TenantDirectory::validSlug(slug)) {
                failure = error(400, "invalid_tenant", "the Host header names no valid tenant", request_id,
                                {{"Host", "expected <tenant>." + config_.base_domain}});
                return nullptr;
            }
            tenant = directory_.bySlug(slug);
        } else if (host.empty() || host == config_.base_domain || host == "localhost" || host == "127.0.0.1" ||
                   host == "[::1]") {
            failure = error(400, "tenant_required",
                            "name the tenant with the X-Tenant header or a <tenant>." + config_.base_domain + " host",
                            request_id, {{"X-Tenant", "required"}});
            return nullptr;
        } else {
            tenant = directory_.byDomain(host);
        }
    }
    if (!tenant || !tenant->active()) {
        failure = error(404, "tenant_not_found", "no such tenant", request_id);
        return nullptr;
    }
    return tenant;
}

HttpResponse Dispatcher::route(HttpRequest& request, const std::string& request_id, std::string& tenant_slug) {
    if (request.body.size() > config_.max_body_bytes)
        return error(413, "payload_too_large",
                     "the request body is larger than " + std::to_string(config_.max_body_bytes) + " bytes", request_id);
    const auto method = parseMethod(request.method);
    if (request.path == "/healthz" || request.path == "/readyz") {
        if (method != sdk::Method::Get && method != sdk::Method::Head) {
            auto r = error(405, "method_not_allowed", "use GET", request_id);
            r.headers["Allow"] = "GET, HEAD";
            return r;
        }
        if (request.path == "/healthz") {
            HttpResponse r;
            r.headers["Content-Type"] = "application/json";
            r.body = R"({"status":"ok"})";
            return r;
        }
        return health(true, request_id);
    }
    if (!method) return error(405, "method_not_allowed", "method " + request.method + " is not supported", request_id);

    auto result = services_.registry.router().match(*method, request.path);
    if (!result.match) {
        if (!result.allowed.empty()) {
            std::string allow;
            for (auto m : result.allowed) allow += std::string(allow.empty() ? "" : ", ") + sdk::methodName(m);
            auto r = error(405, "method_not_allowed", request.method + " is not allowed here; use " + allow, request_id);
            r.headers["Allow"] = allow;
            return r;
        }
        return error(404, "not_found", "no such route", request_id);
    }
    const RouteEntry& entry = *result.match->entry;

    std::optional<HttpResponse> failure;
    auto tenant = resolveTenant(request, request_id, failure);
    if (!tenant) return *failure;
    tenant_slug = tenant->slug;
    // A plugin disabled for this tenant is invisible to it.
    if (!services_.registry.enabledFor(entry.plugin, tenant->enabled_plugins))
        return error(404, "not_found", "no such route", request_id);

    sdk::Principal principal;
    if (guard_) {
        auto admission = guard_->admit(request, *tenant, entry, request_id);
        if (admission.reject) return std::move(*admission.reject);
        principal = std::move(admission.principal);
    }

    sdk::Request req;
    req.method = *method;
    req.path = request.path;
    req.path_params = std::move(result.match->params);
    req.query = std::move(request.query);
    req.headers = std::move(request.headers);
    req.body = std::move(request.body);
    req.tenant = tenant->info();
    req.request_id = request_id;
    req.client_address = request.client_address;
    req.principal = principal;

    // Shared so that a streamed body can keep the scope (and its connection) until it is sent.
    auto scope_holder = std::make_shared<HostScope>(services_, tenant, entry.plugin, request_id, principal);
    HostScope& scope = *scope_holder;
    HttpResponse response;
    try {
        sdk::Response out;
        try {
            out = entry.route.handler(req, scope);
        } catch (const sdk::ApiError& e) {
            out = e.toResponse();
        }
        if (out.status < 400) events_.dispatch(tenant, scope.takeEvents());
        response.status = out.status;
        response.headers = std::move(out.headers);
        response.body = std::move(out.body);
        if (out.stream_body)
            response.stream_body = [scope_holder, produce = std::move(out.stream_body), plugin = entry.plugin,
                                    slug = tenant->slug, request_id, path = entry.route.path](const sdk::BodyWriter& write) {
                try {
                    produce(write);
                } catch (const std::exception& e) {
                    spdlog::error("[{} tenant={} req={}] streaming GET {} failed: {}", plugin, slug, request_id, path,
                                  e.what());
                    throw;
                } catch (...) {
                    spdlog::error("[{} tenant={} req={}] streaming GET {} threw a non-standard exception", plugin,
                                  slug, request_id, path);
                    throw;
                }
            };
    } catch (const PoolExhausted& e) {
        spdlog::warn("[{} tenant={} req={}] {}", entry.plugin, tenant->slug, request_id, e.what());
        response = error(503, "busy", "the tenant's database is busy; retry shortly", request_id);
        response.headers["Retry-After"] = "1";
    } catch (const std::exception& e) {
        spdlog::error("[{} tenant={} req={}] {} {} threw: {}", entry.plugin, tenant->slug, request_id,
                      sdk::methodName(entry.route.method), entry.route.path, e.what());
        response = error(500, "internal_error", "internal error; quote the request id when reporting it", request_id);
    } catch (...) {
        spdlog::error("[{} tenant={} req={}] {} {} threw a non-standard exception", entry.plugin, tenant->slug,
                      request_id, sdk::methodName(entry.route.method), entry.route.path);
        response = error(500, "internal_error", "internal error; quote the request id when reporting it", request_id);
    }
    // Give the connection back first: finish() writes the audit record with one of its own.
    scope_holder.reset();
    if (guard_) guard_->finish(req, *tenant, entry, response);
    addRequestIdToErrorBody(response, request_id);
    return response;
}

}  // namespace tessera::host
