#include "scripting/lua_json.hpp"

#include <cmath>

#include <lua.hpp>

namespace tessera::host {
namespace {

constexpr int kMaxDepth = 64;
char kNull;

void push(lua_State* L, const sdk::Json& v, int depth, bool in_array) {
    luaL_checkstack(L, 4, "JSON too deep");
    switch (v.type()) {
        case sdk::Json::value_t::null:
            if (in_array) pushNullSentinel(L);
            else lua_pushnil(L);
            return;
        case sdk::Json::value_t::boolean: lua_pushboolean(L, v.get<bool>()); return;
        case sdk::Json::value_t::number_integer: lua_pushinteger(L, v.get<std::int64_t>()); return;
        case sdk::Json::value_t::number_unsigned: {
            const auto u = v.get<std::uint64_t>();
            if (u <= static_cast<std::uint64_t>(LUA_MAXINTEGER)) lua_pushinteger(L, static_cast<lua_Integer>(u));
            else lua_pushnumber(L, static_cast<lua_Number>(u));
            return;
        }
        case sdk::Json::value_t::number_float: lua_pushnumber(L, v.get<double>()); return;
        case sdk::Json::value_t::string: {
            const auto& s = v.get_ref<const std::string&>();
            lua_pushlstring(L, s.data(), s.size());
            return;
        }
        case sdk::Json::value_t::array: {
            if (depth >= kMaxDepth) {
                lua_pushnil(L);
                return;
            }
            lua_createtable(L, static_cast<int>(std::min<std::size_t>(v.size(), 1 << 20)), 0);
            lua_Integer i = 1;
            for (const auto& item : v) {
                push(L, item, depth + 1, true);
                lua_rawseti(L, -2, i++);
            }
            return;
        }
        case sdk::Json::value_t::object: {
            if (depth >= kMaxDepth) {
                lua_pushnil(L);
                return;
            }
            lua_createtable(L, 0, static_cast<int>(std::min<std::size_t>(v.size(), 1 << 20)));
            for (const auto& [k, item] : v.items()) {
                if (item.is_null()) continue;
                lua_pushlstring(L, k.data(), k.size());
                push(L, item, depth + 1, false);
                lua_rawset(L, -3);
            }
            return;
        }
        default: lua_pushnil(L); return;
    }
}

sdk::Json convert(lua_State* L, int idx, int depth, std::string& error) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
        case LUA_TNIL: return nullptr;
        case LUA_TBOOLEAN: return static_cast<bool>(lua_toboolean(L, idx));
        case LUA_TNUMBER: {
            if (lua_isinteger(L, idx)) return static_cast<std::int64_t>(lua_tointeger(L, idx));
            const double d = lua_tonumber(L, idx);
            if (!std::isfinite(d)) {
                error = "cannot convert NaN or infinity to JSON";
                return nullptr;
            }
            return d;
        }
        case LUA_TSTRING: {
            std::size_t len = 0;
            const char* s = lua_tolstring(L, idx, &len);
            return std::string(s, len);
        }
        case LUA_TLIGHTUSERDATA:
            if (lua_touserdata(L, idx) == &kNull) return nullptr;
            error = "cannot convert a userdata to JSON";
            return nullptr;
        case LUA_TTABLE: {
            if (depth >= kMaxDepth) {
                error = "table nested too deeply (or it contains itself)";
                return nullptr;
            }
            luaL_checkstack(L, 4, "table too deep");
            const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
            lua_Integer count = 0;
            bool sequence = true;
            lua_pushnil(L);
            while (lua_next(L, idx)) {
                ++count;
                if (!lua_isinteger(L, -2)) sequence = false;
                lua_pop(L, 1);
            }
            if (count > 0 && sequence && count == n) {
                sdk::Json arr = sdk::Json::array();
                for (lua_Integer i = 1; i <= n && error.empty(); ++i) {
                    lua_rawgeti(L, idx, i);
                    arr.push_back(convert(L, -1, depth + 1, error));
                    lua_pop(L, 1);
                }
                return arr;
            }
            sdk::Json obj = sdk::Json::object();
            lua_pushnil(L);
            while (lua_next(L, idx)) {
                std::string key;
                const int kt = lua_type(L, -2);
                if (kt == LUA_TSTRING) {
                    std::size_t len = 0;
                    const char* s = lua_tolstring(L, -2, &len);
                    key.assign(s, len);
                } else if (kt == LUA_TNUMBER) {
                    lua_pushvalue(L, -2);  // tostring on a copy: converting the key in place breaks lua_next
                    key = lua_tostring(L, -1);
                    lua_pop(L, 1);
                } else {
                    error = "table keys must be strings or numbers to convert to JSON";
                    lua_pop(L, 2);
                    return nullptr;
                }
                obj[key] = convert(L, -1, depth + 1, error);
                lua_pop(L, 1);
                if (!error.empty()) {
                    lua_pop(L, 1);
                    return nullptr;
                }
            }
            return obj;
        }
        default:
            error = std::string("cannot convert a ") + luaL_typename(L, idx) + " to JSON";
            return nullptr;
    }
}

}  // namespace

void pushNullSentinel(lua_State* L) { lua_pushlightuserdata(L, &kNull); }

void pushJson(lua_State* L, const sdk::Json& value) { push(L, value, 0, false); }

sdk::Json toJson(lua_State* L, int idx, std::string& error) { return convert(L, idx, 0, error); }

}  // namespace tessera::host
