#include "workflows/workflow_cli.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <tessera/sdk/rest/text.hpp>

#include "app/host.hpp"
#include "auth/workflow_policy_impl.hpp"
#include "scripting/lua_sandbox.hpp"
#include "workflows/trigger.hpp"
#include "workflows/workflow_engine.hpp"
#include "workflows/workflow_store.hpp"

namespace tessera::host {
namespace {

std::string trim(std::string s) {
    const auto a = s.find_first_not_of(" \t\r");
    const auto b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// `-- key: value` lines of the leading comment block.
std::string header(const std::string& source, const std::string& key) {
    std::istringstream in(source);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.rfind("--", 0) != 0) break;
        const std::string body = trim(line.substr(2));
        if (body.rfind(key + ":", 0) == 0) return trim(body.substr(key.size() + 1));
    }
    return "";
}

}  // namespace

int pushWorkflow(Host& host, const WorkflowPushOptions& o) {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "tessera: cannot read %s\n", o.file.c_str());
        return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string source = ss.str();
    auto tenant = host.directory().bySlug(o.tenant);
    if (!tenant) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + o.tenant + "'");

    WorkflowDraft d;
    d.source = source;
    d.name = !o.name.empty() ? o.name : header(source, "name");
    if (d.name.empty()) d.name = std::filesystem::path(o.file).stem().string();
    d.trigger = !o.trigger.empty() ? o.trigger : header(source, "trigger");
    if (d.trigger.empty()) d.trigger = "manual";
    d.run_as = !o.run_as.empty() ? o.run_as : header(source, "run_as");
    if (d.run_as.empty()) d.run_as = "admin";
    d.condition = !o.condition.empty() ? o.condition : header(source, "condition");
    d.enabled = !o.disabled;
    d.note = "pushed from " + std::filesystem::path(o.file).filename().string();

    std::string problem;
    const auto trigger = Trigger::parse(d.trigger, problem);
    if (trigger)
        problem = trigger->unknownEvent(host.registry().publishedEvents(tenant->enabled_plugins),
                                        host.registry().beforeHooks(tenant->enabled_plugins));
    if (!problem.empty()) {
        std::fprintf(stderr, "tessera: trigger '%s': %s\n", d.trigger.c_str(), problem.c_str());
        return 1;
    }
    if (auto syntax = LuaSandbox::checkSyntax(source); !syntax.empty()) {
        std::fprintf(stderr, "tessera: %s: %s\n", o.file.c_str(), syntax.c_str());
        return 1;
    }
    if (sdk::rest::utf8Length(d.name) > 100) {
        std::fprintf(stderr, "tessera: the workflow name is longer than 100 characters\n");
        return 1;
    }

    host.tenants().ensureMigrated(*tenant);
    const auth::AuthWorkflowPolicy policy(host.auth());
    if (!policy.knownRole(*tenant, d.run_as)) {
        std::fprintf(stderr, "tessera: run_as: no role '%s' in tenant %s (admin, member, readonly or a custom role's id)\n",
                     d.run_as.c_str(), tenant->slug.c_str());
        return 1;
    }
    auto lease = host.pool().acquire(tenant->slug);
    WorkflowStore store(lease.db());
    WorkflowRecord wf;
    if (auto existing = store.byName(d.name)) {
        wf = store.update(*existing, d, "cli");
    } else {
        policy.requireScriptAllowance(*tenant, store.count());
        wf = store.create(d, "cli");
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    WorkflowEngine::planCron(lease.db(), wf, now);
    std::printf("workflow %s (%s) version %lld, trigger %s, runs as %s, %s\n", wf.name.c_str(), wf.id.c_str(),
                static_cast<long long>(wf.version), wf.trigger.c_str(), wf.run_as.c_str(),
                wf.enabled ? "enabled" : "disabled");
    return 0;
}

}  // namespace tessera::host
