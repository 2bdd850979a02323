// Costs of the workflow sandbox, measured in-process on one thread (one core):
// creating a sandbox, a trivial run on a pooled sandbox, and the Lua part of a before
// hook that rewrites a contact record. Prints one line per measurement.
//
//   build-<x>/bench/lua_bench [iterations]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scripting/lua_sandbox.hpp"

using namespace tessera;
using Clock = std::chrono::steady_clock;

namespace {

double microsSince(Clock::time_point start, int n) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
    const std::vector<std::string> functions{"now", "schedule", "email.send", "http.request", "contacts.get",
                                             "contacts.find", "contacts.create", "contacts.update"};
    host::SandboxLimits limits;
    const host::HostDispatch dispatch = [](const std::string&, const sdk::Json&) { return sdk::Json(); };
    const sdk::Json info = {{"id", "wf_bench"}, {"name", "bench"}, {"version", 1}};

    {
        const int m = std::max(1, n / 10);
        auto start = Clock::now();
        for (int i = 0; i < m; ++i) host::LuaSandbox box(functions);
        std::printf("sandbox creation: %.1f us per sandbox (%d)\n", microsSince(start, m), m);
    }
    {
        host::LuaSandbox box(functions);
        const host::ScriptSource trivial{"bench:trivial", "local x = event.n + 1", ""};
        const sdk::Json event = {{"n", 1}};
        box.run(trivial, event, info, "", nullptr, limits, dispatch);
        auto start = Clock::now();
        for (int i = 0; i < n; ++i) box.run(trivial, event, info, "", nullptr, limits, dispatch);
        const double us = microsSince(start, n);
        std::printf("trivial run: %.2f us per run, %.0f runs/s on one core\n", us, 1e6 / us);
    }
    {
        host::LuaSandbox box(functions);
        const host::ScriptSource hook{
            "bench:hook",
            "local r = event.record\nif r.email then r.email = string.lower(r.email) end\n"
            "r.tags = r.tags or {}\ntable.insert(r.tags, 'checked')",
            ""};
        const sdk::Json event = {{"name", "contact.create"},
                                 {"record",
                                  {{"name", "Ana Lima"},
                                   {"email", "Ana.Lima@Example.COM"},
                                   {"phone", "+55 11 5555 0100"},
                                   {"owner_id", "usr_1"},
                                   {"tags", {"lead", "web-form"}},
                                   {"address", {{"city", "Porto"}, {"country", "PT"}}},
                                   {"notes", "met at the fair"}}}};
        box.run(hook, event, info, "", nullptr, limits, dispatch);
        auto start = Clock::now();
        for (int i = 0; i < n; ++i) box.run(hook, event, info, "", nullptr, limits, dispatch);
        std::printf("before hook (Lua part, contact record in and out): %.2f us per write\n", microsSince(start, n));
    }
    return 0;
}
