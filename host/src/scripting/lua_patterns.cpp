#include "scripting/lua_patterns.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <string_view>

#include <lua.hpp>

// Lua 5.4's pattern language (manual §6.4.1): the same items, captures, anchors, errors
// and results as lstrlib, so scripts cannot tell the difference, except that a match
// that takes too long now ends the run. Debian's Lua is the C++ build: luaL_error throws,
// so the C++ frames here unwind normally.

namespace tessera::host {
namespace {

constexpr int kMaxCaptures = 32;      // LUA_MAXCAPTURES
constexpr int kMaxMatchDepth = 200;   // MAXCCALLS: recursion of the matcher
constexpr std::ptrdiff_t kUnfinished = -1;
constexpr std::ptrdiff_t kPosition = -2;

unsigned char uchar(char c) { return static_cast<unsigned char>(c); }

class Matcher {
public:
    Matcher(lua_State* L, PatternCharge charge, std::string_view subject, std::string_view pattern)
        : L_(L), charge_(charge), src_begin_(subject.data()), src_end_(subject.data() + subject.size()),
          pat_end_(pattern.data() + pattern.size()) {}

    // Everything not yet charged is charged when a call ends, so short matches add up.
    ~Matcher() noexcept(false) {
        if (steps_ > 0 && !std::uncaught_exceptions()) charge_(L_, steps_);
    }

    void reset() {
        level_ = 0;
        depth_ = kMaxMatchDepth;
    }

    // Where the match of pattern `p` at subject position `s` ends, or nullptr.
    const char* match(const char* s, const char* p) {
        if (depth_-- == 0) luaL_error(L_, "pattern too complex");
        struct Restore {
            int& depth;
            ~Restore() { ++depth; }
        } restore{depth_};
        for (;;) {
            step();
            if (p == pat_end_) return s;
            switch (*p) {
                case '(':
                    if (p + 1 < pat_end_ && p[1] == ')') return startCapture(s, p + 2, kPosition);
                    return startCapture(s, p + 1, kUnfinished);
                case ')': return endCapture(s, p + 1);
                case '$':
                    if (p + 1 == pat_end_) return s == src_end_ ? s : nullptr;
                    break;
                case '%':
                    if (p[1] == 'b') {
                        s = matchBalance(s, p + 2);
                        if (!s) return nullptr;
                        p += 4;
                        continue;
                    }
                    if (p[1] == 'f') {
                        p += 2;
                        if (*p != '[') luaL_error(L_, "missing '[' after '%%f' in pattern");
                        const char* ep = classEnd(p);
                        const char previous = s == src_begin_ ? '\0' : s[-1];
                        const char current = s < src_end_ ? *s : '\0';
                        if (matchBracketClass(uchar(previous), p, ep - 1) ||
                            !matchBracketClass(uchar(current), p, ep - 1))
                            return nullptr;
                        p = ep;
                        continue;
                    }
                    if (std::isdigit(uchar(p[1]))) {
                        s = matchCapture(s, uchar(p[1]));
                        if (!s) return nullptr;
                        p += 2;
                        continue;
                    }
                    break;
                default: break;
            }
            const char* ep = classEnd(p);
            if (!singleMatch(s, p, ep)) {
                if (*ep == '*' || *ep == '?' || *ep == '-') {  // the item may match nothing
                    p = ep + 1;
                    continue;
                }
                return nullptr;
            }
            switch (*ep) {
                case '?': {
                    if (const char* r = match(s + 1, ep + 1)) return r;
                    p = ep + 1;
                    continue;
                }
                case '+': return maxExpand(s + 1, p, ep);
                case '*': return maxExpand(s, p, ep);
                case '-': return minExpand(s, p, ep);
                default:
                    ++s;
                    p = ep;
                    continue;
            }
        }
    }

    // Pushes the captures of a match from s to e (the whole match when the pattern has
    // none and `s` is given); returns how many.
    int pushCaptures(const char* s, const char* e) {
        const int count = (level_ == 0 && s) ? 1 : level_;
        luaL_checkstack(L_, count, "too many captures");
        for (int i = 0; i < count; ++i) pushCapture(i, s, e);
        return count;
    }

    // One capture: its text, its position (a position capture) or, for index 0 of a
    // pattern without captures, the whole match. Returns its length, or kPosition after
    // pushing the position.
    std::ptrdiff_t capture(int i, const char* s, const char* e, const char** text) {
        if (i >= level_) {
            if (i != 0) luaL_error(L_, "invalid capture index %%%d", i + 1);
            *text = s;
            return e - s;
        }
        const std::ptrdiff_t len = captures_[i].len;
        *text = captures_[i].start;
        if (len == kUnfinished) luaL_error(L_, "unfinished capture");
        if (len == kPosition) lua_pushinteger(L_, captures_[i].start - src_begin_ + 1);
        return len;
    }

    void pushCapture(int i, const char* s, const char* e) {
        const char* text = nullptr;
        const std::ptrdiff_t len = capture(i, s, e, &text);
        if (len != kPosition) lua_pushlstring(L_, text, static_cast<std::size_t>(len));
    }

    // Work proportional to `bytes` done outside the matcher (copies, plain searches).
    void chargeBytes(std::size_t bytes) { addSteps(bytes / 16); }

    const char* subjectEnd() const { return src_end_; }

private:
    struct Capture {
        const char* start = nullptr;
        std::ptrdiff_t len = 0;
    };

    void step() { addSteps(1); }
    void addSteps(std::uint64_t n) {
        steps_ += n;
        if (steps_ >= kPatternStepsPerCharge) {
            const auto due = steps_;
            steps_ = 0;
            charge_(L_, due);
        }
    }

    const char* classEnd(const char* p) {
        const char c = *p++;
        if (c == '%') {
            if (p >= pat_end_) luaL_error(L_, "malformed pattern (ends with '%%')");
            return p + 1;
        }
        if (c == '[') {
            if (*p == '^') ++p;
            do {  // the first character may be a ']' of the set itself
                if (p >= pat_end_) luaL_error(L_, "malformed pattern (missing ']')");
                const char x = *p++;
                if (x == '%' && p < pat_end_) ++p;
            } while (p >= pat_end_ || *p != ']');
            return p + 1;
        }
        return p;
    }

    static bool matchClass(int c, int cl) {
        bool res;
        switch (std::tolower(cl)) {
            case 'a': res = std::isalpha(c); break;
            case 'c': res = std::iscntrl(c); break;
            case 'd': res = std::isdigit(c); break;
            case 'g': res = std::isgraph(c); break;
            case 'l': res = std::islower(c); break;
            case 'p': res = std::ispunct(c); break;
            case 's': res = std::isspace(c); break;
            case 'u': res = std::isupper(c); break;
            case 'w': res = std::isalnum(c); break;
            case 'x': res = std::isxdigit(c); break;
            case 'z': res = c == 0; break;  // Debian builds Lua with 5.1's %z kept
            default: return cl == c;
        }
        return std::isupper(cl) ? !res : res;
    }

    // `p` at the '[', `ec` at the closing ']'.
    static bool matchBracketClass(int c, const char* p, const char* ec) {
        bool found = true;
        if (p[1] == '^') {
            found = false;
            ++p;
        }
        while (++p < ec) {
            if (*p == '%') {
                ++p;
                if (matchClass(c, uchar(*p))) return found;
            } else if (p[1] == '-' && p + 2 < ec) {
                p += 2;
                if (uchar(p[-2]) <= c && c <= uchar(*p)) return found;
            } else if (uchar(*p) == c) {
                return found;
            }
        }
        return !found;
    }

    bool singleMatch(const char* s, const char* p, const char* ep) const {
        if (s >= src_end_) return false;
        const int c = uchar(*s);
        switch (*p) {
            case '.': return true;
            case '%': return matchClass(c, uchar(p[1]));
            case '[': return matchBracketClass(c, p, ep - 1);
            default: return uchar(*p) == c;
        }
    }

    const char* maxExpand(const char* s, const char* p, const char* ep) {
        std::ptrdiff_t i = 0;
        while (singleMatch(s + i, p, ep)) {
            step();
            ++i;
        }
        for (; i >= 0; --i)  // the longest run first, then shorter ones
            if (const char* r = match(s + i, ep + 1)) return r;
        return nullptr;
    }

    const char* minExpand(const char* s, const char* p, const char* ep) {
        for (;;) {
            if (const char* r = match(s, ep + 1)) return r;
            if (!singleMatch(s, p, ep)) return nullptr;
            ++s;
        }
    }

    const char* startCapture(const char* s, const char* p, std::ptrdiff_t what) {
        if (level_ >= kMaxCaptures) luaL_error(L_, "too many captures");
        captures_[level_] = {s, what};
        ++level_;
        const char* r = match(s, p);
        if (!r) --level_;
        return r;
    }

    const char* endCapture(const char* s, const char* p) {
        int l = level_ - 1;
        while (l >= 0 && captures_[l].len != kUnfinished) --l;
        if (l < 0) luaL_error(L_, "invalid pattern capture");
        captures_[l].len = s - captures_[l].start;
        const char* r = match(s, p);
        if (!r) captures_[l].len = kUnfinished;
        return r;
    }

    const char* matchBalance(const char* s, const char* p) {
        if (p + 1 >= pat_end_) luaL_error(L_, "malformed pattern (missing arguments to '%%b')");
        if (s >= src_end_ || *s != *p) return nullptr;
        const char open = p[0], close = p[1];
        int depth = 1;
        while (++s < src_end_) {
            step();
            if (*s == close) {
                if (--depth == 0) return s + 1;
            } else if (*s == open) {
                ++depth;
            }
        }
        return nullptr;
    }

    const char* matchCapture(const char* s, int digit) {
        const int l = digit - '1';
        if (l < 0 || l >= level_ || captures_[l].len == kUnfinished)
            luaL_error(L_, "invalid capture index %%%d", l + 1);
        // lstrlib reads a position capture's length as a huge size: it never matches.
        if (captures_[l].len == kPosition) return nullptr;
        const auto len = static_cast<std::size_t>(captures_[l].len);
        chargeBytes(len);
        if (static_cast<std::size_t>(src_end_ - s) >= len && std::memcmp(captures_[l].start, s, len) == 0) return s + len;
        return nullptr;
    }

    lua_State* L_;
    PatternCharge charge_;
    const char* src_begin_;
    const char* src_end_;
    const char* pat_end_;
    int depth_ = kMaxMatchDepth;
    int level_ = 0;
    Capture captures_[kMaxCaptures];
    std::uint64_t steps_ = 0;
};

PatternCharge chargeOf(lua_State* L) {
    return reinterpret_cast<PatternCharge>(lua_touserdata(L, lua_upvalueindex(1)));
}

std::string_view checkText(lua_State* L, int arg) {
    std::size_t len = 0;
    const char* s = luaL_checklstring(L, arg, &len);
    return {s, len};
}

// A 1-based, possibly negative, start position as a 0-based offset (may be past the end).
std::size_t startOffset(lua_State* L, int arg, std::size_t len) {
    const lua_Integer pos = luaL_optinteger(L, arg, 1);
    if (pos > 0) return static_cast<std::size_t>(pos) - 1;
    if (pos == 0 || pos < -static_cast<lua_Integer>(len)) return 0;
    return len - static_cast<std::size_t>(-pos);
}

bool hasSpecials(std::string_view pattern) {
    return pattern.find_first_of("^$*+?.([%-") != std::string_view::npos || pattern.find('\0') != std::string_view::npos;
}

// string.find (find) and string.match.
int findOrMatch(lua_State* L, bool find) {
    const PatternCharge charge = chargeOf(L);
    const std::string_view subject = checkText(L, 1);
    std::string_view pattern = checkText(L, 2);
    const std::size_t init = startOffset(L, 3, subject.size());
    if (init > subject.size()) {
        lua_pushnil(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !hasSpecials(pattern))) {
        // glibc's memmem (two-way): linear in the subject even for "aaa…ab" in "aaaa…",
        // where lstrlib's search is quadratic.
        const void* at = ::memmem(subject.data() + init, subject.size() - init, pattern.data(), pattern.size());
        charge(L, (subject.size() - init + pattern.size()) / 16 + 1);
        if (!at) {
            lua_pushnil(L);
            return 1;
        }
        const auto start = static_cast<const char*>(at) - subject.data();
        lua_pushinteger(L, start + 1);
        lua_pushinteger(L, start + static_cast<std::ptrdiff_t>(pattern.size()));
        return 2;
    }
    const bool anchor = !pattern.empty() && pattern.front() == '^';
    if (anchor) pattern.remove_prefix(1);
    Matcher m(L, charge, subject, pattern);
    const char* s = subject.data() + init;
    do {
        m.reset();
        if (const char* e = m.match(s, pattern.data())) {
            if (!find) return m.pushCaptures(s, e);
            lua_pushinteger(L, s - subject.data() + 1);
            lua_pushinteger(L, e - subject.data());
            return m.pushCaptures(nullptr, nullptr) + 2;
        }
    } while (s++ < m.subjectEnd() && !anchor);
    lua_pushnil(L);
    return 1;
}

int meteredFind(lua_State* L) { return findOrMatch(L, true); }
int meteredMatch(lua_State* L) { return findOrMatch(L, false); }

// gmatch's iterator state, kept in a userdata: offsets, since the subject string stays
// alive as an upvalue of the iterator.
struct GmatchState {
    std::size_t next = 0;
    std::size_t last_match = static_cast<std::size_t>(-1);
};

int gmatchStep(lua_State* L) {
    std::size_t slen = 0, plen = 0;
    const char* subject = lua_tolstring(L, lua_upvalueindex(1), &slen);
    const char* pattern = lua_tolstring(L, lua_upvalueindex(2), &plen);
    auto* state = static_cast<GmatchState*>(lua_touserdata(L, lua_upvalueindex(3)));
    const auto charge = reinterpret_cast<PatternCharge>(lua_touserdata(L, lua_upvalueindex(4)));
    Matcher m(L, charge, {subject, slen}, {pattern, plen});
    for (std::size_t at = state->next; at <= slen; ++at) {
        m.reset();
        const char* e = m.match(subject + at, pattern);
        if (e && static_cast<std::size_t>(e - subject) != state->last_match) {
            state->next = state->last_match = static_cast<std::size_t>(e - subject);
            return m.pushCaptures(subject + at, e);
        }
    }
    state->next = slen + 1;
    return 0;
}

int meteredGmatch(lua_State* L) {
    const PatternCharge charge = chargeOf(L);
    const std::string_view subject = checkText(L, 1);
    checkText(L, 2);
    std::size_t init = startOffset(L, 3, subject.size());
    if (init > subject.size()) init = subject.size() + 1;
    lua_settop(L, 2);
    auto* state = static_cast<GmatchState*>(lua_newuserdatauv(L, sizeof(GmatchState), 0));
    *state = GmatchState{init};
    lua_pushlightuserdata(L, reinterpret_cast<void*>(charge));
    lua_pushcclosure(L, gmatchStep, 4);
    return 1;
}

// Appends the replacement for the match s..e to `b`; false when the match is kept as it
// was (a function or table gave false or nil).
bool addReplacement(lua_State* L, Matcher& m, luaL_Buffer& b, const char* s, const char* e, int kind) {
    if (kind == LUA_TFUNCTION || kind == LUA_TTABLE) {
        if (kind == LUA_TFUNCTION) {
            lua_pushvalue(L, 3);
            const int n = m.pushCaptures(s, e);
            lua_call(L, n, 1);
        } else {
            m.pushCapture(0, s, e);
            lua_gettable(L, 3);
        }
        if (!lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            luaL_addlstring(&b, s, static_cast<std::size_t>(e - s));
            return false;
        }
        if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
        m.chargeBytes(lua_rawlen(L, -1));
        luaL_addvalue(&b);
        return true;
    }
    std::size_t len = 0;
    const char* text = lua_tolstring(L, 3, &len);
    m.chargeBytes(len);
    const char* end = text + len;
    for (const char* p; (p = static_cast<const char*>(std::memchr(text, '%', static_cast<std::size_t>(end - text))));) {
        luaL_addlstring(&b, text, static_cast<std::size_t>(p - text));
        ++p;
        if (*p == '%') {
            luaL_addchar(&b, '%');
        } else if (*p == '0') {
            luaL_addlstring(&b, s, static_cast<std::size_t>(e - s));
        } else if (std::isdigit(uchar(*p))) {
            const char* capture = nullptr;
            const std::ptrdiff_t n = m.capture(*p - '1', s, e, &capture);
            if (n == kPosition) luaL_addvalue(&b);
            else luaL_addlstring(&b, capture, static_cast<std::size_t>(n));
        } else {
            luaL_error(L, "invalid use of '%%' in replacement string");
        }
        text = p + 1;
    }
    luaL_addlstring(&b, text, static_cast<std::size_t>(end - text));
    return true;
}

int meteredGsub(lua_State* L) {
    const PatternCharge charge = chargeOf(L);
    const std::string_view subject = checkText(L, 1);
    std::string_view pattern = checkText(L, 2);
    const int kind = lua_type(L, 3);
    const lua_Integer max_n = luaL_optinteger(L, 4, static_cast<lua_Integer>(subject.size()) + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
                     "string/function/table");
    const bool anchor = !pattern.empty() && pattern.front() == '^';
    if (anchor) pattern.remove_prefix(1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    Matcher m(L, charge, subject, pattern);
    const char* s = subject.data();
    const char* last_match = nullptr;
    lua_Integer n = 0;
    bool changed = false;
    while (n < max_n) {
        m.reset();
        const char* e = m.match(s, pattern.data());
        if (e && e != last_match) {
            ++n;
            changed = addReplacement(L, m, b, s, e, kind) || changed;
            s = last_match = e;
        } else if (s < m.subjectEnd()) {
            luaL_addchar(&b, *s++);
        } else {
            break;
        }
        if (anchor) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, s, static_cast<std::size_t>(m.subjectEnd() - s));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

}  // namespace

void setMeteredPatternFunctions(lua_State* L, int table_index, PatternCharge charge) {
    table_index = lua_absindex(L, table_index);
    const std::pair<const char*, lua_CFunction> functions[] = {
        {"find", meteredFind}, {"match", meteredMatch}, {"gmatch", meteredGmatch}, {"gsub", meteredGsub}};
    for (const auto& [name, function] : functions) {
        lua_pushlightuserdata(L, reinterpret_cast<void*>(charge));
        lua_pushcclosure(L, function, 1);
        lua_setfield(L, table_index, name);
    }
}

}  // namespace tessera::host
