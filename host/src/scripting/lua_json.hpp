#pragma once
// JSON <-> Lua values for the sandbox. JSON null inside arrays becomes crm.null (so
// arrays keep their length); inside objects the key is left out, so `if c.email then`
// reads naturally. Tables with keys 1..n become arrays, other tables objects.

#include <string>

#include <tessera/sdk/http.hpp>

struct lua_State;

namespace tessera::host {

// Pushes `value`; nesting deeper than 64 levels is cut off as nil.
void pushJson(lua_State* L, const sdk::Json& value);
// Converts the value at `idx`; on failure (functions, cycles, NaN) fills `error`.
sdk::Json toJson(lua_State* L, int idx, std::string& error);
// Pushes crm.null, the light userdata standing for JSON null.
void pushNullSentinel(lua_State* L);

}  // namespace tessera::host
