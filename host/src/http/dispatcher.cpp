#include "http/dispatcher.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>
#include <tessera/sdk/rest/ids.hpp>

#include "http/idempotency.hpp"

namespace tessera::host {

std::string newRequestId() { return sdk::rest::randomIdChars(16); }

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
    auto body = sdk::parseJson(r.body);
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
    r.headers["X-Request-Id"] = request_id;
    r.body = body.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
    return r;
}

std::vector<AddressRange> Dispatcher::trustedProxies(const Config& config) {
    std::vector<AddressRange> ranges;
    for (const auto& text : config.trusted_proxies)
        if (auto range = AddressRange::parse(text)) ranges.push_back(*range);  // loadConfig refused the others
    return ranges;
}

void Dispatcher::resolveClient(HttpRequest& request) const {
    const auto header = [&](const char* name) -> std::string_view {
        const auto it = request.headers.find(name);
        return it == request.headers.end() ? std::string_view{} : std::string_view{it->second};
    };
    const bool from_proxy = std::any_of(trusted_proxies_.begin(), trusted_proxies_.end(),
                                        [&](const auto& range) { return range.contains(request.client_address); });
    if (!from_proxy) {
        for (const char* name : {"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded"})
            request.headers.erase(name);
        return;
    }
    request.client_address =
        forwardedClient(request.client_address, header("X-Forwarded-For"), header("Forwarded"), trusted_proxies_);
}

void Dispatcher::handle(HttpRequest& request, Reply reply) {
    const auto started = std::chrono::steady_clock::now();
    resolveClient(request);
    std::string request_id;
    if (auto it = request.headers.find("X-Request-Id"); it != request.headers.end() && acceptableRequestId(it->second))
        request_id = it->second;
    else
        request_id = newRequestId();

    Respond respond = [this, started, request_id, method = request.method, path = request.path,
                       reply = std::move(reply)](HttpResponse response, const std::string& tenant_slug) {
        response.headers["X-Request-Id"] = request_id;
        if (config_.access_log) {
            const auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
            spdlog::info("access tenant={} {} {} {} {}us req={}", tenant_slug, method, path, response.status, us.count(),
                         request_id);
        }
        reply(std::move(response));
    };
    std::string tenant_slug = "-";
    std::optional<HttpResponse> response;
    try {
        response = route(request, request_id, tenant_slug, respond);
    } catch (const std::exception& e) {
        spdlog::error("[host req={}] {} {} failed: {}", request_id, request.method, request.path, e.what());
        response = error(500, "internal_error", "internal error; quote the request id when reporting it", request_id);
    }
    if (response) respond(std::move(*response), tenant_slug);
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

std::optional<HttpResponse> Dispatcher::route(HttpRequest& request, const std::string& request_id, std::string& tenant_slug,
                                              const Respond& respond) {
    if (request.body.size() > config_.max_body_bytes)
        return error(413, "payload_too_large",
                     "the request body is larger than " + std::to_string(config_.max_body_bytes) + " bytes", request_id);
    // Before any handler (a plugin's included) parses it: every body, whatever its
    // Content-Type claims, since a handler may parse it as JSON all the same.
    if (sdk::jsonNesting(request.body, config_.max_json_depth) > config_.max_json_depth)
        return error(400, "invalid_json",
                     "the request body nests arrays and objects deeper than " +
                         std::to_string(config_.max_json_depth) + " levels (max_json_depth)",
                     request_id);
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

    auto call = std::make_shared<Call>();
    call->entry = &entry;
    call->tenant = tenant;
    call->request_id = request_id;
    if (guard_) {
        auto admission = guard_->admit(request, *tenant, entry, request_id);
        if (admission.reject) return std::move(*admission.reject);
        call->req.principal = std::move(admission.principal);
        call->caller = std::move(admission.caller);
    }

    sdk::Request& req = call->req;
    req.method = entry.route.method;  // a HEAD reaches its GET route's handler as a GET
    req.path = request.path;
    req.path_params = std::move(result.match->params);
    req.query = std::move(request.query);
    req.headers = std::move(request.headers);
    req.body = std::move(request.body);
    req.tenant = tenant->info();
    req.request_id = request_id;
    req.client_address = request.client_address;
    // Shared so that a streamed body can keep the scope (and its connection) until it is sent.
    call->scope = std::make_shared<HostScope>(services_, tenant, entry.plugin, request_id, req.principal);

    if (!groups_ || entry.route.outside_group_commit || *method == sdk::Method::Get || *method == sdk::Method::Head ||
        *method == sdk::Method::Options) {
        invoke(*call);
        if (call->response.status < 400) events_.dispatch(tenant, std::move(call->events));
        settle(*call);
        return std::move(call->response);
    }
    GroupCommit::Job job;
    job.work = [this, call] {
        const bool kept = invoke(*call);
        if (!call->response.stream_body) return kept;
        spdlog::error("[{} tenant={} req={}] {} {} answered with a streamed body, which only reads may use",
                      call->entry->plugin, call->tenant->slug, call->request_id,
                      sdk::methodName(call->entry->route.method), call->entry->route.path);
        call->response = error(500, "internal_error", "internal error; quote the request id when reporting it",
                               call->request_id);
        return false;
    };
    job.settle = [this, call] { settle(*call); };
    job.finish = [this, call, respond](GroupCommit::Outcome outcome) {
        if (outcome == GroupCommit::Outcome::Committed) {
            if (call->response.status < 400) events_.dispatch(call->tenant, std::move(call->events));
        } else if (outcome == GroupCommit::Outcome::Busy) {
            call->response = busy(call->request_id);
        } else {
            call->response = error(503, "write_failed", "the change could not be saved and nothing was changed; retry",
                                   call->request_id);
            call->response.headers["Retry-After"] = "1";
        }
        respond(std::move(call->response), call->tenant->slug);
    };
    groups_->submit(tenant, std::move(job));
    return std::nullopt;
}

HttpResponse Dispatcher::busy(const std::string& request_id) {
    auto response = error(503, "busy", "the tenant's database is busy; retry shortly", request_id);
    response.headers["Retry-After"] = "1";
    return response;
}

bool Dispatcher::invoke(Call& call) {
    const RouteEntry& entry = *call.entry;
    HttpResponse& response = call.response;
    // An ApiError is an answer like any other and keeps what was written before it, as
    // outside a group (a refused login keeps its audit record); anything else is a fault
    // whose half-done writes a group can undo.
    bool completed = false;
    call.scope->setCaller(call.caller);
    try {
        sdk::Response out;
        try {
            out = entry.route.idempotent ? answerOnce(entry.route.handler, call.req, *call.scope)
                                         : entry.route.handler(call.req, *call.scope);
        } catch (const sdk::ApiError& e) {
            out = e.toResponse();
        }
        completed = true;
        if (out.status < 400) call.events = call.scope->takeEvents();
        response.status = out.status;
        response.headers = std::move(out.headers);
        response.body = std::move(out.body);
        if (out.stream_body)
            response.stream_body = [scope = call.scope, produce = std::move(out.stream_body), plugin = entry.plugin,
                                    slug = call.tenant->slug, request_id = call.request_id,
                                    path = entry.route.path](const sdk::BodyWriter& write) {
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
        spdlog::warn("[{} tenant={} req={}] {}", entry.plugin, call.tenant->slug, call.request_id, e.what());
        response = busy(call.request_id);
    } catch (const std::exception& e) {
        spdlog::error("[{} tenant={} req={}] {} {} threw: {}", entry.plugin, call.tenant->slug, call.request_id,
                      sdk::methodName(entry.route.method), entry.route.path, e.what());
        response = error(500, "internal_error", "internal error; quote the request id when reporting it",
                         call.request_id);
    } catch (...) {
        spdlog::error("[{} tenant={} req={}] {} {} threw a non-standard exception", entry.plugin, call.tenant->slug,
                      call.request_id, sdk::methodName(entry.route.method), entry.route.path);
        response = error(500, "internal_error", "internal error; quote the request id when reporting it",
                         call.request_id);
    }
    return completed;
}

void Dispatcher::settle(Call& call) {
    // Give the connection back first: outside a group, finish() writes the audit record
    // with a connection of its own.
    call.scope.reset();
    if (guard_) guard_->finish(call.req, *call.tenant, *call.entry, call.caller, call.response);
    addRequestIdToErrorBody(call.response, call.request_id);
}

}  // namespace tessera::host
