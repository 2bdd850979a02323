#include "plugins/plugin_manager.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

namespace tessera::host {

namespace fs = std::filesystem;

struct PluginManager::Loaded {
    PluginRecord* record = nullptr;
    Manifest manifest;
    boost::dll::shared_library library;
    const TesseraPluginHandshake* handshake = nullptr;
    sdk::Plugin* plugin = nullptr;
    std::unique_ptr<sdk::HostContext> context;
    bool declared = false;
    bool started = false;
};

const char* PluginManager::hostBuildId() { return TESSERA_BUILD_ID; }

PluginManager::PluginManager(Registry& registry, std::vector<std::string> required)
    : registry_(registry), required_(std::move(required)) {}

PluginManager::~PluginManager() { stop(); }

const PluginRecord* PluginManager::record(const std::string& id) const {
    for (const auto& r : records_)
        if (r.id == id) return &r;
    return nullptr;
}

void PluginManager::refuse(Loaded& p, const std::string& reason) {
    p.record->state = PluginState::Refused;
    p.record->reason = reason;
    spdlog::warn("plugin '{}' refused: {}", p.record->id, reason);
    unload(p);
}

void PluginManager::unload(Loaded& p) {
    // Handlers live in the library: drop them before the library goes.
    if (p.declared) registry_.remove(p.record->id);
    p.declared = false;
    p.context.reset();
    if (p.plugin) p.handshake->destroy(p.plugin);
    p.plugin = nullptr;
    p.handshake = nullptr;
    p.library.unload();
}

namespace {

// Checks the C handshake. Returns the reason for refusal, or "" when it is acceptable.
std::string checkHandshake(const TesseraPluginHandshake* h, const Manifest& m, const std::string& dir_id) {
    if (!h) return "tessera_plugin_handshake() returned null";
    if (h->struct_size < offsetof(TesseraPluginHandshake, destroy) + sizeof(h->destroy))
        return "handshake struct is " + std::to_string(h->struct_size) + " bytes, too small for this host";
    if (h->abi_version != TESSERA_ABI_VERSION)
        return "built for plugin ABI " + std::to_string(h->abi_version) + ", this host speaks ABI " +
               std::to_string(TESSERA_ABI_VERSION);
    if (!h->build_id || std::strcmp(h->build_id, TESSERA_BUILD_ID) != 0)
        return std::string("built with [") + (h->build_id ? h->build_id : "?") + "], this host is [" +
               TESSERA_BUILD_ID + "]";
    if (!h->id || m.id != h->id)
        return std::string("library says id '") + (h->id ? h->id : "") + "' but plugin.json says '" + m.id + "'";
    if (m.id != dir_id) return "plugin.json id '" + m.id + "' does not match its folder '" + dir_id + "'";
    if (!h->version || m.version.str() != h->version)
        return std::string("library says version ") + (h->version ? h->version : "?") +
               " but plugin.json says " + m.version.str();
    if (!h->create || !h->destroy) return "handshake has no create/destroy functions";
    return {};
}

}  // namespace

void PluginManager::load(const std::string& dirs) {
    const SemVer sdk_version{TESSERA_SDK_VERSION_MAJOR, TESSERA_SDK_VERSION_MINOR, TESSERA_SDK_VERSION_PATCH, ""};
    std::vector<std::unique_ptr<Loaded>> candidates;
    std::map<std::string, Loaded*> by_id;

    std::vector<std::string> roots;
    for (std::size_t start = 0;;) {
        const std::size_t colon = dirs.find(':', start);
        roots.push_back(dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }

    for (const auto& root : roots) {
        if (root.empty()) continue;
        std::error_code ec;
        if (!fs::is_directory(root, ec)) {
            spdlog::warn("plugin directory '{}' does not exist", root);
            continue;
        }
        std::vector<fs::path> folders;
        for (const auto& entry : fs::directory_iterator(root, ec))
            if (entry.is_directory()) folders.push_back(entry.path());
        std::sort(folders.begin(), folders.end());
        for (const auto& folder : folders) {
            const std::string dir_id = folder.filename().string();
            const fs::path so = folder / (dir_id + ".so");
            if (!fs::exists(so)) continue;  // not a plugin folder
            auto& rec = records_.emplace_back();
            rec.id = dir_id;
            rec.path = so.string();
            auto p = std::make_unique<Loaded>();
            p->record = &rec;
            try {
                p->manifest = Manifest::load((folder / "plugin.json").string());
            } catch (const std::exception& e) {
                refuse(*p, e.what());
                continue;
            }
            rec.id = p->manifest.id;
            rec.version = p->manifest.version.str();
            rec.description = p->manifest.description;
            for (const auto& [dep, range] : p->manifest.depends) rec.depends.push_back(dep);
            rec.required = std::count(required_.begin(), required_.end(), rec.id) > 0;
            if (auto it = by_id.find(rec.id); it != by_id.end()) {
                refuse(*p, "id '" + rec.id + "' is already loaded from " + it->second->record->path);
                continue;
            }
            if (!p->manifest.sdk.contains(sdk_version)) {
                refuse(*p, "needs SDK " + p->manifest.sdk.text() + ", this host provides " + sdk_version.str());
                continue;
            }
            // Read from the manifest first, as DuckDB reads an extension's footer: a library
            // built for another host is refused before dlopen runs its static initialisers.
            if (!p->manifest.build_id.empty() && p->manifest.build_id != TESSERA_BUILD_ID) {
                refuse(*p, "plugin.json says it was built with [" + p->manifest.build_id + "], this host is [" +
                               TESSERA_BUILD_ID + "]; the library was not opened");
                continue;
            }
            try {
                p->library.load(so.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
            } catch (const std::exception& e) {
                refuse(*p, std::string("cannot load library: ") + e.what());
                continue;
            }
            if (!p->library.has(TESSERA_PLUGIN_ENTRY_SYMBOL)) {
                refuse(*p, "no tessera_plugin_handshake symbol: not a Tessera plugin");
                continue;
            }
            const auto entry = p->library.get<const TesseraPluginHandshake*()>(TESSERA_PLUGIN_ENTRY_SYMBOL);
            p->handshake = entry();
            if (auto reason = checkHandshake(p->handshake, p->manifest, dir_id); !reason.empty()) {
                p->handshake = nullptr;
                refuse(*p, reason);
                continue;
            }
            by_id[rec.id] = p.get();
            candidates.push_back(std::move(p));
        }
    }

    // Dependencies: every one present with an acceptable version, no cycles. Refusing one
    // plugin may refuse its dependents, so repeat until nothing changes.
    auto alive = [&](const std::string& id) {
        auto it = by_id.find(id);
        return it != by_id.end() && it->second->handshake ? it->second : nullptr;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& p : candidates) {
            if (!p->handshake) continue;
            for (const auto& [dep, range] : p->manifest.depends) {
                Loaded* d = alive(dep);
                std::string reason;
                if (!d && by_id.count(dep)) reason = "depends on '" + dep + "', which was refused";
                else if (!d) reason = "depends on '" + dep + "', which is not installed";
                else if (!range.contains(d->manifest.version))
                    reason = "depends on '" + dep + "' " + range.text() + ", found " + d->manifest.version.str();
                if (!reason.empty()) {
                    refuse(*p, reason);
                    changed = true;
                    break;
                }
            }
        }
    }

    // Topological order; a plugin on a cycle is refused with the cycle spelled out.
    std::vector<Loaded*> order;
    std::map<std::string, int> mark;  // 1 visiting, 2 done
    std::vector<std::string> stack;
    std::set<Loaded*> in_cycle;
    std::function<void(Loaded*)> visit = [&](Loaded* p) {
        const std::string& id = p->record->id;
        if (mark[id] == 2) return;
        if (mark[id] == 1) {
            auto from = std::find(stack.begin(), stack.end(), id);
            std::string path;
            for (auto it = from; it != stack.end(); ++it) path += *it + " -> ";
            path += id;
            for (auto it = from; it != stack.end(); ++it) {
                Loaded* c = by_id[*it];
                if (!in_cycle.count(c)) {
                    in_cycle.insert(c);
                    c->record->reason = "dependency cycle: " + path;
                }
            }
            return;
        }
        mark[id] = 1;
        stack.push_back(id);
        for (const auto& [dep, range] : p->manifest.depends)
            if (Loaded* d = alive(dep)) visit(d);
        stack.pop_back();
        mark[id] = 2;
        order.push_back(p);
    };
    for (auto& p : candidates)
        if (p->handshake) visit(p.get());
    for (Loaded* c : in_cycle) refuse(*c, c->record->reason);

    // declare() in dependency order; a refusal cascades to dependents.
    std::map<Loaded*, std::unique_ptr<Loaded>> owned;
    for (auto& p : candidates) owned[p.get()] = std::move(p);
    for (Loaded* p : order) {
        if (!p->handshake) continue;
        std::string missing;
        for (const auto& [dep, range] : p->manifest.depends)
            if (!alive(dep)) missing = dep;
        if (!missing.empty()) {
            refuse(*p, "depends on '" + missing + "', which was refused");
            continue;
        }
        p->plugin = static_cast<sdk::Plugin*>(p->handshake->create());
        if (!p->plugin) {
            refuse(*p, "create() failed");
            continue;
        }
        try {
            PluginRegistrar registrar(p->record->id);
            p->plugin->declare(registrar);
            Declarations declared = registrar.take();
            for (const auto& [dep, range] : p->manifest.depends) declared.depends.insert(dep);
            registry_.commit(std::move(declared));
            p->declared = true;
        } catch (const std::exception& e) {
            refuse(*p, std::string("declare() failed: ") + e.what());
            continue;
        } catch (...) {
            refuse(*p, "declare() failed with a non-standard exception");
            continue;
        }
        p->record->state = PluginState::Active;
        loaded_.push_back(std::move(owned[p]));
    }
    checkRequired();
}

void PluginManager::checkRequired() {
    for (const auto& id : required_) {
        const PluginRecord* r = record(id);
        if (!r) throw RequiredPluginError("required plugin '" + id + "' was not found");
        if (r->state != PluginState::Active)
            throw RequiredPluginError("required plugin '" + id + "' was refused: " + r->reason);
    }
}

void PluginManager::start(const ContextFactory& makeContext) {
    for (auto& p : loaded_) {
        if (!p->plugin) continue;
        std::string missing;
        for (const auto& [dep, range] : p->manifest.depends) {
            const PluginRecord* d = record(dep);
            if (!d || d->state != PluginState::Active) missing = dep;
        }
        if (!missing.empty()) {
            refuse(*p, "depends on '" + missing + "', which failed to start");
            continue;
        }
        p->context = makeContext(p->record->id);
        try {
            p->plugin->start(*p->context);
            p->started = true;
        } catch (const std::exception& e) {
            refuse(*p, std::string("start() failed: ") + e.what());
        } catch (...) {
            refuse(*p, "start() failed with a non-standard exception");
        }
    }
    std::erase_if(loaded_, [](const auto& p) { return p->plugin == nullptr; });
    checkRequired();
}

void PluginManager::stop() {
    for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
        Loaded& p = **it;
        if (p.started) {
            try {
                p.plugin->stop();
            } catch (const std::exception& e) {
                spdlog::error("plugin '{}' stop() threw: {}", p.record->id, e.what());
            } catch (...) {
                spdlog::error("plugin '{}' stop() threw", p.record->id);
            }
            p.started = false;
        }
        unload(p);
    }
    loaded_.clear();
}

std::vector<std::string> PluginManager::activeInOrder() const {
    std::vector<std::string> out;
    for (const auto& p : loaded_)
        if (p->plugin) out.push_back(p->record->id);
    return out;
}

std::vector<std::string> PluginManager::dependents(const std::string& id) const {
    std::vector<std::string> out;
    for (const auto& p : loaded_)
        if (p->plugin && p->manifest.depends.count(id)) out.push_back(p->record->id);
    return out;
}

std::vector<std::string> PluginManager::dependencies(const std::string& id) const {
    std::vector<std::string> out;
    for (const auto& p : loaded_)
        if (p->record->id == id)
            for (const auto& [dep, range] : p->manifest.depends) out.push_back(dep);
    return out;
}

}  // namespace tessera::host
