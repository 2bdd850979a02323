#pragma once
// One sandboxed Lua 5.4 state for tenant scripts. It holds only the safe libraries, with
// every library table and global read-only; each run gets a fresh environment table, an
// instruction budget, a memory cap and a wall-clock limit. A state is used by one thread
// at a time and is reused across runs of the same tenant (SandboxPool), which is why
// nothing a script does may outlive its environment.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <tessera/sdk/http.hpp>

struct lua_State;

namespace tessera::host {

struct SandboxLimits {
    std::uint64_t instructions = 5'000'000;
    std::size_t memory_bytes = 32 * 1024 * 1024;
    std::chrono::milliseconds wall{5000};
};

enum class RunStatus { Ok, Error, Timeout, Memory, Budget };
const char* runStatusName(RunStatus status);

// An expected failure of a host function: the script receives `nil, message`.
class ScriptFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What the host offers as crm.<name>: JSON arguments in (one argument as itself, several
// as an array, none as null), JSON out (null becomes nil).
using HostDispatch = std::function<sdk::Json(const std::string& name, const sdk::Json& args)>;

struct ScriptSource {
    std::string cache_key;  // identifies the compiled chunk, e.g. "<workflow id>:<version>"
    std::string source;
    std::string condition;  // optional Lua expression; false or nil skips the run
};

struct RunOutcome {
    RunStatus status = RunStatus::Ok;
    bool skipped = false;  // the condition was false
    std::string error;     // without the "script:12:" prefix
    int error_line = 0;
    std::uint64_t instructions = 0;
    std::size_t memory_peak = 0;
    std::chrono::microseconds duration{0};
    sdk::Json event;  // the `event` global after the run (before hooks change event.record)
};

class LuaSandbox {
public:
    // `functions` are the crm.* names the state exposes ("log", "contacts.get", ...).
    explicit LuaSandbox(const std::vector<std::string>& functions);
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    // Runs `script` with globals `event` and `workflow`; then, if `entry` is not empty,
    // calls the script's global function `entry` with `entry_arg`. Never throws for
    // anything the script does.
    RunOutcome run(const ScriptSource& script, const sdk::Json& event, const sdk::Json& workflow,
                   const std::string& entry, const sdk::Json& entry_arg, const SandboxLimits& limits,
                   const HostDispatch& dispatch);

    // A state whose last run was cut off (memory, time) is not reused.
    bool reusable() const { return reusable_; }
    std::size_t memoryInUse() const;

    // Compiles `source` as text without running it; returns "" or "line N: message".
    static std::string checkSyntax(const std::string& source, int* line = nullptr);

    // Called from the Lua side; public for the C trampolines in lua_sandbox.cpp.
    struct Internals;
    Internals& internals() { return *in_; }

private:
    std::unique_ptr<Internals> in_;
    bool reusable_ = true;
};

// Idle sandboxes per tenant, so a run costs an environment table rather than a state.
class SandboxPool {
public:
    SandboxPool(std::vector<std::string> functions, std::size_t max_idle_per_tenant = 4)
        : functions_(std::move(functions)), max_idle_(max_idle_per_tenant) {}

    class Lease {
    public:
        Lease(SandboxPool& pool, std::string tenant, std::unique_ptr<LuaSandbox> box)
            : pool_(&pool), tenant_(std::move(tenant)), box_(std::move(box)) {}
        Lease(Lease&&) = default;
        ~Lease();
        LuaSandbox& operator*() { return *box_; }
        LuaSandbox* operator->() { return box_.get(); }

    private:
        SandboxPool* pool_;
        std::string tenant_;
        std::unique_ptr<LuaSandbox> box_;
    };

    Lease acquire(const std::string& tenant);
    const std::vector<std::string>& functions() const { return functions_; }

private:
    void release(const std::string& tenant, std::unique_ptr<LuaSandbox> box);

    std::vector<std::string> functions_;
    std::size_t max_idle_;
    std::mutex mutex_;
    std::map<std::string, std::vector<std::unique_ptr<LuaSandbox>>> idle_;
};

}  // namespace tessera::host
