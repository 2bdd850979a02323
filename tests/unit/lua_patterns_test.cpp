// The sandbox's metered pattern functions against Lua's own: the same results and the
// same errors on hand-picked and on thousands of generated patterns, and a pathological
// pattern stopped by the charge instead of running for hours.

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <lua.hpp>

#include "scripting/lua_patterns.hpp"

namespace tessera::host {
namespace {

std::uint64_t charged = 0;
std::uint64_t charge_limit = 0;

void countSteps(lua_State* L, std::uint64_t steps) {
    charged += steps;
    if (charge_limit && charged > charge_limit) luaL_error(L, "instruction budget exceeded");
}

// A state with the standard string library as `string` and the metered one as `metered`.
class Patterns : public ::testing::Test {
protected:
    void SetUp() override {
        charged = 0;
        charge_limit = 0;
        L = luaL_newstate();
        luaL_openlibs(L);
        lua_newtable(L);
        setMeteredPatternFunctions(L, -1, countSteps);
        lua_setglobal(L, "metered");
    }
    void TearDown() override { lua_close(L); }

    // Runs `code`; returns "" or the error.
    std::string run(const std::string& code) {
        if (luaL_dostring(L, code.c_str()) != LUA_OK) {
            std::string error = lua_tostring(L, -1);
            lua_pop(L, 1);
            return error;
        }
        return "";
    }

    lua_State* L = nullptr;
};

// Compares string.<fn>(...) with metered.<fn>(...) for every call in a list; returns the
// first difference. gmatch is compared by collecting its iterations, gsub with a string,
// a table and a function replacement.
const char* kCompare = R"lua(
local function pack(ok, ...) return { ok = ok, n = select('#', ...), ... } end
local function same(a, b)
  if a.ok ~= b.ok or a.n ~= b.n then return false end
  for i = 1, a.n do
    local x, y = a[i], b[i]
    if not a.ok then
      -- errors: the pattern's message must match; argument errors name the function differently
      x = tostring(x):gsub("to '[%w%.]+'", "to 'f'")
      y = tostring(y):gsub("to '[%w%.]+'", "to 'f'")
    end
    if x ~= y then return false end
  end
  return true
end
local function show(r)
  local out = {}
  for i = 1, r.n do out[#out + 1] = tostring(r[i]) end
  return (r.ok and "ok: " or "error: ") .. table.concat(out, ", ")
end
local function iterate(g, s, p, init)
  local out = {}
  local ok, err = pcall(function()
    for a, b, c in g(s, p, init) do out[#out + 1] = tostring(a) .. "|" .. tostring(b) .. "|" .. tostring(c) end
  end)
  if not ok then return pack(false, err) end
  return pack(true, table.concat(out, ";"))
end
function compare(s, p, init)
  local calls = {
    { "find", function(f) return pack(pcall(f.find, s, p, init)) end },
    { "find plain", function(f) return pack(pcall(f.find, s, p, init, true)) end },
    { "match", function(f) return pack(pcall(f.match, s, p, init)) end },
    { "gmatch", function(f) return iterate(f.gmatch, s, p, init) end },
    { "gsub string", function(f) return pack(pcall(f.gsub, s, p, "<%0%1>")) end },
    { "gsub %%", function(f) return pack(pcall(f.gsub, s, p, "%%")) end },
    { "gsub table", function(f) return pack(pcall(f.gsub, s, p, { a = "A", ab = false })) end },
    { "gsub function", function(f) return pack(pcall(f.gsub, s, p, function(x, y) return y and x .. y or nil end)) end },
    { "gsub max", function(f) return pack(pcall(f.gsub, s, p, "#", 2)) end },
  }
  for _, c in ipairs(calls) do
    local expected, got = c[2](string), c[2](metered)
    if not same(expected, got) then
      return string.format("%s(%q, %q, %s): Lua %s, metered %s", c[1], s, p, tostring(init), show(expected), show(got))
    end
  end
  return nil
end
)lua";

TEST_F(Patterns, GiveLuasResultsAndErrors) {
    // A limit no case comes near: charging for work not done shows as an error here.
    charge_limit = 10'000'000;
    ASSERT_EQ(run(kCompare), "");
    ASSERT_EQ(run(R"lua(
      local cases = {
        {"hello world", "o w"}, {"hello world", "l+"}, {"hello world", "l-o"}, {"hello world", "^h"}, {"hello", "o$"},
        {"hello", "^$"}, {"", ""}, {"", "^"}, {"abc", ""}, {"abc", "()"}, {"abc", "(a)(b)(c)"}, {"abc", "((a)(b))"},
        {"THE (quick) fox", "%((%a+)%)"}, {"f(a(b)c)d", "%b()"}, {"key = value", "(%w+)%s*=%s*(%w+)"},
        {"  trim  ", "^%s*(.-)%s*$"}, {"THE (quick) fox", "%f[%a]%a+"}, {"aaa", "a-b"}, {"aaab", "a*b"},
        {"x = 10, y = 20", "(%w+) = (%d+)"}, {"abcabc", "(abc)%1"}, {"[]]", "[]]"}, {"a-b", "[a%-]+"},
        {"ações", "[\128-\255]+"}, {"a.b", "%."}, {"a%b", "%%"}, {"abc", "[^a]"}, {"abc", "[a-"}, {"abc", "%"},
        {"abc", "(a"}, {"abc", "a)"}, {"abc", "%1"}, {"abc", "(a)%2"}, {"abc", "%b"}, {"abc", "%fa"},
        {"abc", "[%w_]+"}, {"x1y22z333", "%d+"}, {"UPPER lower", "%u+"}, {"tab\there", "%c"}, {"a,b;c", "%p"},
        {"0x1F", "%x+"}, {"abc", "[^%s]"}, {"a\0b", "%z"}, {"a\0b", "\0"}, {"abc", ".-"}, {"abc", "a?b?c?d?"},
        {"hello", "l", 4}, {"hello", "l", -2}, {"hello", "l", 10}, {"hello", "l", -10}, {"hello", "", 6},
        {"hello", "", 7}, {"one two three", "%a+", 5}, {"aaa", "^a", 2},
        {"a()b", "()%1"}, {"a()b", "a()%1b"}, {"ab", "()(b)%1"},
        {"(((", string.rep("(", 33) .. string.rep(")", 33)}, {string.rep("a", 300), string.rep("a?", 250)},
      }
      for _, c in ipairs(cases) do
        local difference = compare(c[1], c[2], c[3])
        if difference then error(difference, 0) end
      end
    )lua"),
              "");
}

TEST_F(Patterns, GiveLuasResultsOnGeneratedPatterns) {
    ASSERT_EQ(run(kCompare), "");
    ASSERT_EQ(run(R"lua(
      math.randomseed(20261206)
      local items = { "a", "b", ".", "%a", "%d", "%s", "%W", "[ab]", "[^a]", "[a-c]", "%%", "%b()", "%f[%w]", "(", ")",
                      "()", "%1", "^", "$", "x" }
      local suffixes = { "", "", "", "*", "+", "-", "?" }
      local letters = { "a", "b", "c", "1", " ", "(", ")", "x", "%", "" }
      for round = 1, 4000 do
        local p = {}
        for i = 1, math.random(0, 6) do
          p[#p + 1] = items[math.random(#items)] .. suffixes[math.random(#suffixes)]
        end
        local s = {}
        for i = 1, math.random(0, 12) do s[#s + 1] = letters[math.random(#letters)] end
        local init = math.random(1, 4) == 1 and math.random(-5, 8) or nil
        local difference = compare(table.concat(s), table.concat(p), init)
        if difference then error("round " .. round .. ": " .. difference, 0) end
      end
    )lua"),
              "");
}

TEST_F(Patterns, APathologicalPatternIsStoppedByItsCharge) {
    charge_limit = 5'000'000;
    const std::string error = run(R"lua(return metered.find(string.rep("a", 200000), "a-a-a-a-a-a-b"))lua");
    EXPECT_NE(error.find("instruction budget exceeded"), std::string::npos) << error;
    EXPECT_GT(charged, charge_limit);
}

TEST_F(Patterns, PlainSearchIsLinearWhereLuasIsQuadratic) {
    ASSERT_EQ(run(R"lua(
      local s = string.rep("a", 1000000)
      local i = metered.find(s, string.rep("a", 50000) .. "b", 1, true)
      assert(i == nil)
      assert(metered.find(s .. "b", string.rep("a", 50000) .. "b", 1, true) == 950001)
    )lua"),
              "");
    EXPECT_LT(charged, 1'000'000u);
}

TEST_F(Patterns, EveryMatchIsCharged) {
    ASSERT_EQ(run(R"lua(for i = 1, 1000 do metered.match("abc", "b") end)lua"), "");
    EXPECT_GE(charged, 1000u);
}

}  // namespace
}  // namespace tessera::host
