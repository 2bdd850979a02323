#include "scripting/lua_sandbox.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>

#include <lua.hpp>

#include "scripting/lua_json.hpp"
#include "scripting/lua_patterns.hpp"

namespace tessera::host {
namespace {

// The count hook fires every kHookEvery VM instructions: the granularity of the budget
// and of the wall-clock check.
constexpr int kHookEvery = 256;
// Idle states that grew past this much garbage are collected before reuse.
constexpr std::size_t kCollectAbove = 4 * 1024 * 1024;
char kReadOnlySetKey;

}  // namespace

const char* runStatusName(RunStatus status) {
    switch (status) {
        case RunStatus::Ok: return "ok";
        case RunStatus::Error: return "error";
        case RunStatus::Timeout: return "timeout";
        case RunStatus::Memory: return "memory";
        case RunStatus::Budget: return "budget";
    }
    return "error";
}

struct LuaSandbox::Internals {
    lua_State* L = nullptr;
    std::size_t used = 0;
    std::size_t limit = std::numeric_limits<std::size_t>::max();
    std::size_t peak = 0;
    bool refused = false;
    std::uint64_t ticks = 0;
    std::uint64_t budget_ticks = 0;
    std::uint64_t pattern_steps = 0;  // pattern work not yet counted in ticks
    std::chrono::steady_clock::time_point deadline;
    enum class Abort { None, Timeout, Budget } abort = Abort::None;
    const HostDispatch* dispatch = nullptr;
    int globals_ref = LUA_NOREF;  // the read-only proxy every environment inherits from
    std::map<std::string, int> chunks;
};

namespace {

using Internals = LuaSandbox::Internals;

Internals* internalsOf(lua_State* L) {
    void* ud = nullptr;
    lua_getallocf(L, &ud);
    return static_cast<Internals*>(ud);
}

// Every allocation of a state goes through here: the per-run memory cap.
void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
    auto* in = static_cast<Internals*>(ud);
    const std::size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        in->used -= old;
        std::free(ptr);
        return nullptr;
    }
    if (nsize > old && in->used - old + nsize > in->limit) {
        in->refused = true;
        return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (!p) return nullptr;
    in->used = in->used - old + nsize;
    if (in->used > in->peak) in->peak = in->used;
    return p;
}

void countHook(lua_State* L, lua_Debug*);

// Ends the run when its budget or time is spent: called every kHookEvery instructions,
// and by the pattern functions as they work (lua_patterns.hpp).
void enforceLimits(lua_State* L, Internals* in) {
    if (in->abort == Internals::Abort::None) {
        if (in->ticks > in->budget_ticks) in->abort = Internals::Abort::Budget;
        else if (std::chrono::steady_clock::now() > in->deadline) in->abort = Internals::Abort::Timeout;
    }
    if (in->abort != Internals::Abort::None) {
        // From now on every instruction raises again, so a script's own pcall cannot
        // swallow the limit and carry on.
        lua_sethook(L, countHook, LUA_MASKCOUNT, 1);
        luaL_error(L, in->abort == Internals::Abort::Budget ? "instruction budget exceeded" : "time limit exceeded");
    }
}

void countHook(lua_State* L, lua_Debug*) {
    auto* in = internalsOf(L);
    ++in->ticks;
    enforceLimits(L, in);
}

// A pattern step counts as an instruction.
void chargePatternSteps(lua_State* L, std::uint64_t steps) {
    auto* in = internalsOf(L);
    in->pattern_steps += steps;
    in->ticks += in->pattern_steps / kHookEvery;
    in->pattern_steps %= kHookEvery;
    enforceLimits(L, in);
}

bool isReadOnly(lua_State* L, int idx) {
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kReadOnlySetKey);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    const bool ro = lua_toboolean(L, -1);
    lua_pop(L, 2);
    return ro;
}

int refuseWrite(lua_State* L) { return luaL_error(L, "attempt to modify a read-only table"); }

int proxyNext(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

int proxyPairs(lua_State* L) {
    lua_pushcfunction(L, proxyNext);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushnil(L);
    return 3;
}

int proxyLen(lua_State* L) {
    lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
    return 1;
}

// Replaces the table at the top of the stack by a read-only proxy of it; nested tables
// are frozen too.
void freezeTop(lua_State* L) {
    const int orig = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, orig)) {
        if (lua_type(L, -1) == LUA_TTABLE && !isReadOnly(L, -1)) {
            freezeTop(L);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, orig);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_newtable(L);  // proxy
    lua_newtable(L);  // its metatable
    lua_pushvalue(L, orig);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, refuseWrite);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, orig);
    lua_pushcclosure(L, proxyPairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushvalue(L, orig);
    lua_pushcclosure(L, proxyLen, 1);
    lua_setfield(L, -2, "__len");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kReadOnlySetKey);
    lua_pushvalue(L, -2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_replace(L, orig);
}

int safeRawset(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (isReadOnly(L, 1)) return luaL_error(L, "attempt to modify a read-only table");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

void pushFreshEnvironment(lua_State* L) {
    auto* in = internalsOf(L);
    lua_newtable(L);
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, in->globals_ref);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
}

// load() for text only; without an explicit environment the chunk gets a fresh one,
// never the state's real globals.
int safeLoad(lua_State* L) {
    std::size_t len = 0;
    const char* text = luaL_checklstring(L, 1, &len);
    const char* name = luaL_optstring(L, 2, "=(load)");
    const bool has_env = lua_gettop(L) >= 4;
    if (luaL_loadbufferx(L, text, len, name, "t") != LUA_OK) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env) lua_pushvalue(L, 4);
    else pushFreshEnvironment(L);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    return 1;
}

int safeCollectgarbage(lua_State* L) {
    const char* opt = luaL_optstring(L, 1, "count");
    if (std::strcmp(opt, "count") != 0) return luaL_error(L, "collectgarbage: only \"count\" is available");
    const int kb = lua_gc(L, LUA_GCCOUNT);
    const int b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, static_cast<lua_Number>(kb) + static_cast<lua_Number>(b) / 1024.0);
    return 1;
}

// Calls the host with (name, args); the script gets the result, or nil and a message.
int callHostFunction(lua_State* L, const std::string& name, const sdk::Json& args) {
    auto* in = internalsOf(L);
    sdk::Json result;
    std::string failure;
    bool failed = false;
    if (!in->dispatch) {
        failed = true;
        failure = "crm." + name + " is not available here";
    } else {
        try {
            result = (*in->dispatch)(name, args);
        } catch (const ScriptFailure& e) {
            failed = true;
            failure = e.what();
        } catch (const std::exception& e) {
            failed = true;
            failure = "crm." + name + " failed: internal error";
        }
    }
    if (failed) {
        lua_pushnil(L);
        lua_pushlstring(L, failure.data(), failure.size());
        return 2;
    }
    pushJson(L, result);
    return 1;
}

int hostTrampoline(lua_State* L) {
    const std::string name = lua_tostring(L, lua_upvalueindex(1));
    const int n = lua_gettop(L);
    std::string error;
    sdk::Json args;
    if (n == 1) {
        args = toJson(L, 1, error);
    } else if (n > 1) {
        args = sdk::Json::array();
        for (int i = 1; i <= n && error.empty(); ++i) args.push_back(toJson(L, i, error));
    }
    if (!error.empty()) return luaL_error(L, "crm.%s: %s", name.c_str(), error.c_str());
    return callHostFunction(L, name, args);
}

std::string joinArgs(lua_State* L, int from) {
    std::string out;
    const int n = lua_gettop(L);
    for (int i = from; i <= n; ++i) {
        std::size_t len = 0;
        const char* s = luaL_tolstring(L, i, &len);
        if (i > from) out += ' ';
        out.append(s, len);
        lua_pop(L, 1);
    }
    return out;
}

int crmLog(lua_State* L) {
    const std::string level = luaL_checkstring(L, 1);
    if (level != "debug" && level != "info" && level != "warn" && level != "error")
        return luaL_error(L, "crm.log: level must be debug, info, warn or error");
    callHostFunction(L, "log", sdk::Json::array({level, joinArgs(L, 2)}));
    return 0;
}

int luaPrint(lua_State* L) {
    callHostFunction(L, "log", sdk::Json::array({"info", joinArgs(L, 1)}));
    return 0;
}

int crmReject(lua_State* L) {
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    return lua_error(L);
}

int jsonEncode(lua_State* L) {
    luaL_checkany(L, 1);
    std::string error;
    sdk::Json j = toJson(L, 1, error);
    if (!error.empty()) {
        lua_pushnil(L);
        lua_pushlstring(L, error.data(), error.size());
        return 2;
    }
    const std::string text = j.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
    lua_pushlstring(L, text.data(), text.size());
    return 1;
}

int jsonDecode(lua_State* L) {
    std::size_t len = 0;
    const char* text = luaL_checklstring(L, 1, &len);
    sdk::Json j = sdk::parseJson(std::string_view(text, len));
    if (j.is_discarded()) {
        lua_pushnil(L);
        lua_pushliteral(L, "invalid JSON");
        return 2;
    }
    pushJson(L, j);
    return 1;
}

// Sets t[path] = the value on top of the stack (popped), creating nested tables.
void setPath(lua_State* L, int table, const std::string& path) {
    table = lua_absindex(L, table);
    lua_pushvalue(L, table);
    std::size_t start = 0;
    for (;;) {
        const auto dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (dot == std::string::npos) {
            lua_pushvalue(L, -2);
            lua_setfield(L, -2, part.c_str());
            lua_pop(L, 2);
            return;
        }
        if (lua_getfield(L, -1, part.c_str()) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_setfield(L, -3, part.c_str());
        }
        lua_remove(L, -2);
        start = dot + 1;
    }
}

struct NamedFunction {
    const char* path;
    lua_CFunction function;
};

// Puts each C function at its (dotted) path in the table at `table`.
void setFunctions(lua_State* L, int table, std::initializer_list<NamedFunction> functions) {
    for (const auto& f : functions) {
        lua_pushcfunction(L, f.function);
        setPath(L, table, f.path);
    }
}

// "script:12: message" -> (12, "message").
void splitLocation(const std::string& raw, int& line, std::string& message) {
    message = raw;
    line = 0;
    for (const char* prefix : {"script:", "condition:"}) {
        const std::size_t n = std::strlen(prefix);
        if (raw.compare(0, n, prefix) != 0) continue;
        std::size_t i = n;
        int value = 0;
        while (i < raw.size() && std::isdigit(static_cast<unsigned char>(raw[i])) && value < 100000000)
            value = value * 10 + (raw[i++] - '0');
        if (i > n && raw.compare(i, 2, ": ") == 0) {
            line = value;
            message = raw.substr(i + 2);
        }
        return;
    }
}

}  // namespace

LuaSandbox::LuaSandbox(const std::vector<std::string>& functions) : in_(std::make_unique<Internals>()) {
    lua_State* L = lua_newstate(allocate, in_.get());
    if (!L) throw std::bad_alloc();
    in_->L = L;
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kReadOnlySetKey);

    luaL_requiref(L, "_G", luaopen_base, 1);
    lua_pop(L, 1);
    const std::pair<const char*, lua_CFunction> libs[] = {{LUA_STRLIBNAME, luaopen_string},
                                                          {LUA_TABLIBNAME, luaopen_table},
                                                          {LUA_MATHLIBNAME, luaopen_math},
                                                          {LUA_UTF8LIBNAME, luaopen_utf8},
                                                          {LUA_COLIBNAME, luaopen_coroutine},
                                                          {LUA_OSLIBNAME, luaopen_os}};
    for (const auto& [name, open] : libs) {
        luaL_requiref(L, name, open, 0);
        lua_pop(L, 1);
    }
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    const int loaded = lua_gettop(L);

    lua_newtable(L);  // the safe globals
    const int G = lua_gettop(L);
    for (const char* name : {"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
                             "rawget", "rawlen", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
                             "_VERSION"}) {
        lua_getglobal(L, name);
        lua_setfield(L, G, name);
    }
    setFunctions(L, G,
                 {{"rawset", safeRawset}, {"load", safeLoad}, {"collectgarbage", safeCollectgarbage}, {"print", luaPrint}});

    for (const char* lib : {LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_MATHLIBNAME, LUA_UTF8LIBNAME, LUA_COLIBNAME}) {
        lua_getfield(L, loaded, lib);
        const int src = lua_gettop(L);
        lua_newtable(L);  // a copy, so the frozen original behind the string metatable is ours alone
        lua_pushnil(L);
        while (lua_next(L, src)) {
            if (std::strcmp(lib, LUA_STRLIBNAME) == 0 && lua_type(L, -2) == LUA_TSTRING &&
                std::strcmp(lua_tostring(L, -2), "dump") == 0) {
                lua_pop(L, 1);
                continue;
            }
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        if (std::strcmp(lib, LUA_STRLIBNAME) == 0) setMeteredPatternFunctions(L, -1, chargePatternSteps);
        freezeTop(L);
        if (std::strcmp(lib, LUA_STRLIBNAME) == 0) {
            // s:upper() and friends go through the string metatable: point it at the
            // frozen copy and hide it from getmetatable.
            lua_pushliteral(L, "");
            lua_getmetatable(L, -1);
            lua_pushvalue(L, -3);
            lua_setfield(L, -2, "__index");
            lua_pushboolean(L, 0);
            lua_setfield(L, -2, "__metatable");
            lua_pop(L, 2);
        }
        lua_setfield(L, G, lib);
        lua_pop(L, 1);
    }
    lua_newtable(L);
    lua_getfield(L, loaded, LUA_OSLIBNAME);
    for (const char* name : {"time", "date", "clock"}) {
        lua_getfield(L, -1, name);
        lua_setfield(L, -3, name);
    }
    lua_pop(L, 1);
    freezeTop(L);
    lua_setfield(L, G, "os");

    lua_newtable(L);  // crm
    const int crm = lua_gettop(L);
    for (const auto& name : functions) {
        lua_pushstring(L, name.c_str());
        lua_pushcclosure(L, hostTrampoline, 1);
        setPath(L, crm, name);
    }
    setFunctions(L, crm,
                 {{"log", crmLog}, {"reject", crmReject}, {"json.encode", jsonEncode}, {"json.decode", jsonDecode}});
    pushNullSentinel(L);
    setPath(L, crm, "null");
    freezeTop(L);
    lua_setfield(L, G, "crm");

    freezeTop(L);
    in_->globals_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);  // package.loaded
    // The state's real global table held the full base library: nothing may reach it.
    lua_newtable(L);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_gc(L, LUA_GCGEN, 0, 0);
}

LuaSandbox::~LuaSandbox() {
    if (in_->L) {
        in_->limit = std::numeric_limits<std::size_t>::max();
        lua_close(in_->L);
    }
}

std::size_t LuaSandbox::memoryInUse() const { return in_->used; }

RunOutcome LuaSandbox::run(const ScriptSource& script, const sdk::Json& event, const sdk::Json& workflow,
                           const std::string& entry, const sdk::Json& entry_arg, const SandboxLimits& limits,
                           const HostDispatch& dispatch) {
    lua_State* L = in_->L;
    RunOutcome out;
    const auto started = std::chrono::steady_clock::now();
    const int base = lua_gettop(L);
    in_->dispatch = &dispatch;
    in_->ticks = 0;
    in_->pattern_steps = 0;
    in_->budget_ticks = std::max<std::uint64_t>(1, limits.instructions / kHookEvery);
    in_->deadline = started + limits.wall;
    in_->abort = Internals::Abort::None;
    in_->refused = false;
    in_->limit = in_->used + limits.memory_bytes;
    in_->peak = in_->used;
    const std::size_t used_at_start = in_->used;

    auto chunk = [&](const std::string& key, const std::string& text, const char* name) -> bool {
        auto it = in_->chunks.find(key);
        if (it != in_->chunks.end()) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, it->second);
            return true;
        }
        if (luaL_loadbufferx(L, text.data(), text.size(), name, "t") != LUA_OK) return false;
        lua_pushvalue(L, -1);
        in_->chunks[key] = luaL_ref(L, LUA_REGISTRYINDEX);
        return true;
    };

    int rc = LUA_OK;
    lua_sethook(L, countHook, LUA_MASKCOUNT, kHookEvery);
    // Everything below that can raise runs inside one protected call.
    struct Ctx {
        const ScriptSource* script;
        const sdk::Json* event;
        const sdk::Json* workflow;
        const std::string* entry;
        const sdk::Json* entry_arg;
        decltype(chunk)* load;
        RunOutcome* out;
    } ctx{&script, &event, &workflow, &entry, &entry_arg, &chunk, &out};
    lua_pushcfunction(L, [](lua_State* L) -> int {
        auto* c = static_cast<Ctx*>(lua_touserdata(L, 1));
        lua_settop(L, 0);
        pushFreshEnvironment(L);  // 1: env
        pushJson(L, *c->event);
        lua_setfield(L, 1, "event");
        pushJson(L, *c->workflow);
        lua_setfield(L, 1, "workflow");
        if (!c->script->condition.empty()) {
            if (!(*c->load)(c->script->cache_key + "?condition", "return (" + c->script->condition + "\n)",
                            "=condition"))
                return lua_error(L);
            lua_pushvalue(L, 1);
            lua_setupvalue(L, -2, 1);
            lua_call(L, 0, 1);
            const bool pass = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (!pass) {
                c->out->skipped = true;
                return 0;
            }
        }
        if (!(*c->load)(c->script->cache_key, c->script->source, "=script")) return lua_error(L);
        lua_pushvalue(L, 1);
        lua_setupvalue(L, -2, 1);
        lua_call(L, 0, 0);
        if (!c->entry->empty()) {
            if (lua_getfield(L, 1, c->entry->c_str()) != LUA_TFUNCTION)
                return luaL_error(L, "the script defines no function '%s'", c->entry->c_str());
            pushJson(L, *c->entry_arg);
            lua_call(L, 1, 0);
        }
        lua_getfield(L, 1, "event");
        std::string ignored;
        c->out->event = toJson(L, -1, ignored);
        return 0;
    });
    lua_pushlightuserdata(L, &ctx);
    rc = lua_pcall(L, 1, 0, 0);
    lua_sethook(L, nullptr, 0, 0);

    if (rc != LUA_OK) {
        std::string raw;
        if (lua_type(L, -1) == LUA_TSTRING) raw = lua_tostring(L, -1);
        else raw = std::string("error object is a ") + luaL_typename(L, -1) + " value";
        splitLocation(raw, out.error_line, out.error);
        if (in_->abort == Internals::Abort::Budget) out.status = RunStatus::Budget;
        else if (in_->abort == Internals::Abort::Timeout) out.status = RunStatus::Timeout;
        else if (rc == LUA_ERRMEM || (in_->refused && raw.find("not enough memory") != std::string::npos))
            out.status = RunStatus::Memory;
        else out.status = RunStatus::Error;
        if (out.status == RunStatus::Memory) out.error = "memory limit exceeded (" + out.error + ")";
    }
    lua_settop(L, base);
    in_->dispatch = nullptr;
    in_->limit = std::numeric_limits<std::size_t>::max();
    out.instructions = in_->ticks * kHookEvery;
    out.memory_peak = in_->peak - std::min(in_->peak, used_at_start);
    if (out.status == RunStatus::Memory || out.status == RunStatus::Timeout || out.status == RunStatus::Budget)
        reusable_ = false;
    else if (in_->used > used_at_start + kCollectAbove)
        lua_gc(L, LUA_GCCOLLECT);
    out.duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    return out;
}

std::string LuaSandbox::checkSyntax(const std::string& source, int* line) {
    lua_State* L = luaL_newstate();
    if (!L) throw std::bad_alloc();
    std::string result;
    if (luaL_loadbufferx(L, source.data(), source.size(), "=script", "t") != LUA_OK) {
        int l = 0;
        std::string message;
        splitLocation(lua_tostring(L, -1), l, message);
        if (line) *line = l;
        result = l ? "line " + std::to_string(l) + ": " + message : message;
    }
    lua_close(L);
    return result;
}

SandboxPool::Lease::~Lease() {
    if (pool_ && box_) pool_->release(tenant_, std::move(box_));
}

SandboxPool::Lease SandboxPool::acquire(const std::string& tenant) {
    {
        std::lock_guard lock(mutex_);
        auto it = idle_.find(tenant);
        if (it != idle_.end() && !it->second.empty()) {
            auto box = std::move(it->second.back());
            it->second.pop_back();
            return Lease(*this, tenant, std::move(box));
        }
    }
    return Lease(*this, tenant, std::make_unique<LuaSandbox>(functions_));
}

void SandboxPool::release(const std::string& tenant, std::unique_ptr<LuaSandbox> box) {
    if (!box->reusable()) return;
    std::lock_guard lock(mutex_);
    auto& list = idle_[tenant];
    if (list.size() < max_idle_) list.push_back(std::move(box));
}

}  // namespace tessera::host
