#include "cli/plugin_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "app/host.hpp"
#include "core/executor.hpp"
#include "core/logging.hpp"
#include "events/event_bus.hpp"
#include "http/dispatcher.hpp"

namespace tessera::host {
namespace {

// Draws "[=====     ]  45%  4500/10000" on a terminal, at most ten times a second;
// prints nothing when stderr is not a terminal.
class TerminalProgress final : public sdk::Progress {
public:
    TerminalProgress() : tty_(isatty(STDERR_FILENO)) {}
    ~TerminalProgress() override { endLine(); }
    // Ends the bar's line, so that what the command prints next starts on its own line
    // instead of behind the bar (the summary used to share the bar's last line).
    void endLine() {
        std::lock_guard lock(mutex_);
        if (tty_ && drawn_) std::fputc('\n', stderr);
        drawn_ = false;
    }
    void total(std::uint64_t units) override {
        std::lock_guard lock(mutex_);
        total_ = units;
        draw(true);
    }
    void done(std::uint64_t units) override {
        std::lock_guard lock(mutex_);
        done_ = units;
        draw(units == total_);
    }

private:
    void draw(bool force) {
        if (!tty_) return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        drawn_ = true;
        if (total_ == 0) {
            std::fprintf(stderr, "\r%llu done", static_cast<unsigned long long>(done_));
        } else {
            const int width = 30;
            const int filled = static_cast<int>(width * std::min(done_, total_) / total_);
            std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %llu/%llu", filled, "==============================",
                         width - filled, "", static_cast<int>(100 * std::min(done_, total_) / total_),
                         static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_));
        }
        std::fflush(stderr);
    }

    bool tty_;
    bool drawn_ = false;  // a bar is on the terminal's current line
    std::mutex mutex_;
    std::uint64_t total_ = 0, done_ = 0;
    std::chrono::steady_clock::time_point last_{};
};

void listCommands(const Registry& registry, const std::string& plugin) {
    auto it = registry.commands().find(plugin);
    if (it == registry.commands().end()) {
        std::fprintf(stderr, "tessera: plugin '%s' has no commands (or is not loaded; see `tessera plugins`)\n",
                     plugin.c_str());
        return;
    }
    std::printf("Commands of %s (run with --tenant SLUG):\n", plugin.c_str());
    for (const auto& [name, cmd] : it->second)
        std::printf("  tessera %s %s %s\n      %s\n", plugin.c_str(), name.c_str(), cmd.usage.c_str(), cmd.summary.c_str());
}

// The host command nearest to a mistyped one (edit distance at most 2), or "".
std::string nearestCommand(const std::string& word, const std::vector<std::string>& commands) {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& c : commands) {
        std::vector<std::size_t> row(c.size() + 1);
        for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= c.size(); ++j) {
                const std::size_t up = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == c[j - 1] ? 0 : 1)});
                diagonal = up;
            }
        }
        if (row[c.size()] < best_distance) best_distance = row[c.size()], best = c;
    }
    return best;
}

// Standard output of a command: ends the progress bar's line before the first character
// of each write, then passes everything to std::cout's buffer.
class AfterProgress final : public std::streambuf {
public:
    AfterProgress(TerminalProgress& progress, std::streambuf* out) : progress_(progress), out_(out) {}

protected:
    int overflow(int c) override {
        if (c == traits_type::eof()) return traits_type::not_eof(c);
        progress_.endLine();
        return out_->sputc(static_cast<char>(c));
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        progress_.endLine();
        return out_->sputn(s, n);
    }
    int sync() override { return out_->pubsync(); }

private:
    TerminalProgress& progress_;
    std::streambuf* out_;
};

}  // namespace

int runPluginCommand(const std::string& config_path, const std::vector<std::string>& args,
                     const std::vector<std::string>& host_commands) {
    const std::string& plugin = args.at(0);
    sdk::CommandArgs parsed;
    std::string name;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string key = a.substr(2), value = "true";
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key.resize(eq);
            } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
                value = args[++i];
            }
            parsed.options[key] = value;
        } else if (name.empty()) {
            name = a;
        } else {
            parsed.positional.push_back(a);
        }
    }
    try {
        Config config = loadConfig(config_path);
        setupLogging(config.log_level == "info" ? "warn" : config.log_level);
        Host host(std::move(config));
        const auto& plugins = host.plugins().records();
        if (std::none_of(plugins.begin(), plugins.end(), [&](const PluginRecord& r) { return r.id == plugin; })) {
            const auto nearest = nearestCommand(plugin, host_commands);
            std::fprintf(stderr, "tessera: '%s' is neither a command nor a plugin%s (tessera --help, tessera plugins)\n",
                         plugin.c_str(), nearest.empty() ? "" : ("; did you mean '" + nearest + "'?").c_str());
            return 2;
        }
        if (name.empty() || parsed.options.count("help")) {
            listCommands(host.registry(), plugin);
            return name.empty() && !parsed.options.count("help") ? 2 : 0;
        }
        const sdk::Command* command = host.registry().command(plugin, name);
        if (!command) {
            std::fprintf(stderr, "tessera: '%s %s' is not a command\n", plugin.c_str(), name.c_str());
            listCommands(host.registry(), plugin);
            return 2;
        }
        auto tenant_opt = parsed.options.find("tenant");
        if (tenant_opt == parsed.options.end()) {
            std::fprintf(stderr, "tessera: %s %s needs --tenant SLUG\nusage: tessera %s %s %s --tenant SLUG\n",
                         plugin.c_str(), name.c_str(), plugin.c_str(), name.c_str(), command->usage.c_str());
            return 2;
        }
        const std::string slug = tenant_opt->second;
        parsed.options.erase(tenant_opt);
        auto tenant = TenantDirectory::validSlug(slug) ? host.directory().bySlug(slug) : nullptr;
        if (!tenant || !tenant->active()) {
            std::fprintf(stderr, "tessera: no active tenant '%s'\n", slug.c_str());
            return 1;
        }
        if (!host.registry().enabledFor(plugin, tenant->enabled_plugins)) {
            std::fprintf(stderr, "tessera: plugin '%s' is not enabled for tenant '%s'\n", plugin.c_str(), slug.c_str());
            return 1;
        }
        // Events the command publishes reach subscribers as they would from a request.
        Executor executor(2);
        ScopeServices services{host.pool(), host.tenants(), host.registry()};
        EventBus events(services, executor);
        {
            HostScope scope(services, tenant, plugin, "cli-" + newRequestId());
            TerminalProgress progress;
            AfterProgress after(progress, std::cout.rdbuf());
            std::ostream out(&after);
            try {
                command->handler(parsed, scope, progress, out);
            } catch (const sdk::ApiError& e) {
                std::fprintf(stderr, "tessera: %s\n", e.message().c_str());
                for (const auto& [field, problem] : e.fields().items())
                    std::fprintf(stderr, "  %s: %s\n", field.c_str(),
                                 problem.is_string() ? problem.get<std::string>().c_str() : problem.dump().c_str());
                return 1;
            }
            events.dispatch(tenant, scope.takeEvents());
        }
        executor.stop();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tessera: %s %s failed: %s\n", plugin.c_str(), name.c_str(), e.what());
        return 1;
    }
}

}  // namespace tessera::host
