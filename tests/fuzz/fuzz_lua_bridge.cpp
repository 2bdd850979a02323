// The Lua <-> JSON bridge (JSON into a Lua value and back, as crm.* calls do), and the
// sandbox's metered pattern functions against Lua's own on the same subject and pattern.
#include <cstddef>
#include <cstdint>
#include <string>

#include <lua.hpp>
#include <tessera/sdk/json.hpp>

#include "scripting/lua_json.hpp"
#include "scripting/lua_patterns.hpp"

using namespace tessera;
using namespace tessera::host;

namespace {

std::uint64_t charged = 0;
bool budget_spent = false;
void charge(lua_State* L, std::uint64_t steps) {
    charged += steps;
    if (charged > 200'000) {
        budget_spent = true;
        luaL_error(L, "instruction budget exceeded");
    }
}

lua_State* makeState() {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    lua_newtable(L);
    setMeteredPatternFunctions(L, -1, charge);
    lua_setglobal(L, "metered");
    return L;
}

// metered.<fn> and string.<fn> on (s, p): the same results, or both an error. The one
// difference allowed is the point of the metered matcher: it stops at its budget where
// Lua's own backtracks on (`++++++++++++` over 45 '+' takes Lua millions of steps), so
// then Lua's is not run at all, or the fuzzer would spend its time in it.
void compare(lua_State* L, const char* fn, const std::string& s, const std::string& p) {
    std::string results[2];
    int status[2];
    for (int i = 0; i < 2; ++i) {
        const int top = lua_gettop(L);
        lua_getglobal(L, i == 0 ? "metered" : "string");
        lua_getfield(L, -1, fn);
        lua_pushlstring(L, s.data(), s.size());
        lua_pushlstring(L, p.data(), p.size());
        const bool gsub = std::string(fn) == "gsub";
        if (gsub) lua_pushliteral(L, "<%0>");
        charged = 0;
        budget_spent = false;
        status[i] = lua_pcall(L, gsub ? 3 : 2, LUA_MULTRET, 0);
        for (int k = top + 2; k <= lua_gettop(L); ++k) {
            std::size_t n = 0;
            const char* v = luaL_tolstring(L, k, &n);
            results[i].append(v, n).push_back('\x1f');
            lua_pop(L, 1);
        }
        lua_settop(L, top);
        if (budget_spent) return;
    }
    if ((status[0] == LUA_OK) != (status[1] == LUA_OK)) __builtin_trap();
    if (status[0] == LUA_OK && results[0] != results[1]) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lua_State* L = makeState();
    const std::string text(reinterpret_cast<const char*>(data), size);
    sdk::Json value = sdk::parseJson(text);
    if (!value.is_discarded()) {
        pushJson(L, value);
        std::string error;
        (void)toJson(L, -1, error);
        lua_pop(L, 1);
    }
    // Pattern and subject, split at the first NUL; only short subjects, so Lua's own
    // unbounded matcher (the reference) finishes.
    const auto split = text.find('\0');
    if (split == std::string::npos || size - split > 64 || split > 24) return 0;
    const std::string pattern = text.substr(0, split), subject = text.substr(split + 1);
    for (const char* fn : {"find", "match", "gsub"}) compare(L, fn, subject, pattern);
    return 0;
}
