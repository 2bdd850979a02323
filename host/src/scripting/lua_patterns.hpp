#pragma once
// string.find, string.match, string.gmatch and string.gsub for the sandbox, with Lua 5.4's
// pattern language and results, but metered. Lua's own matcher runs inside a single VM
// instruction, so neither the instruction budget nor the wall-clock limit could stop
// `string.rep("a", 200000):find("a-a-a-a-a-a-b")` (hours of backtracking on a worker,
// with every other tenant waiting). This one reports its steps as it goes, and the run's
// limits end it like any other script code.

#include <cstdint>

struct lua_State;

namespace tessera::host {

// Called with the steps made since the last call (about every kPatternStepsPerCharge); it
// raises a Lua error (luaL_error) when the run's limits are spent. One step is about one
// VM instruction's work.
using PatternCharge = void (*)(lua_State* L, std::uint64_t steps);
inline constexpr std::uint64_t kPatternStepsPerCharge = 1024;

// Sets find, match, gmatch and gsub in the table at `table_index` (a copy of the string
// library) to the metered versions, each charging `charge`.
void setMeteredPatternFunctions(lua_State* L, int table_index, PatternCharge charge);

}  // namespace tessera::host
