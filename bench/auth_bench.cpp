// CPU cost of authenticating one request with a cached API token: the guard's admit()
// (rate-limit bucket, SHA-256 of the token, cache lookup, permission check) against a
// real host on SQLite. Prints CPU ns per call; docs/security.md records the result.
//
//   auth_bench [iterations]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <spdlog/spdlog.h>

#include "app/host.hpp"
#include "auth/auth_guard.hpp"
#include "auth/tenant_bootstrap.hpp"

using namespace tessera::host;

namespace {

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    const long iterations = argc > 1 ? std::atol(argv[1]) : 1000000;
    spdlog::set_level(spdlog::level::warn);
    char tmpl[] = "/tmp/tessera-auth-bench-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    const std::string dir = tmpl;
    std::filesystem::create_directories(dir + "/plugins");
    Config config;
    config.data_dir = dir;
    config.plugin_dir = dir + "/plugins";
    int rc = 0;
    {
        Host host(config);
        const auto tenant = host.tenants().create("bench", "Bench");
        const auto owner = auth::createOwner(host.auth(), host.tenants(), tenant, "owner@bench.example");
        auto record = host.directory().bySlug("bench");
        const auto match = host.registry().router().match(tessera::sdk::Method::Get, "/api/v1/auth/me");
        const RouteEntry& route = *match.match->entry;
        auth::AuthGuard guard(host.auth(), host.tenants());

        HttpRequest request;
        request.method = "GET";
        request.path = "/api/v1/auth/me";
        request.headers["Authorization"] = "Bearer " + owner.token;
        request.headers["X-Tenant"] = "bench";
        request.client_address = "127.0.0.1";
        // Warm up: the first call resolves the token from the database.
        for (int i = 0; i < 1000; ++i) guard.admit(request, *record, route, "bench");

        long refused = 0;
        const double start = cpuSeconds();
        for (long i = 0; i < iterations; ++i) {
            auto a = guard.admit(request, *record, route, "bench");
            refused += a.reject.has_value();
        }
        const double cpu = cpuSeconds() - start;
        std::printf("auth_bench: %ld admit() calls with a cached bearer token, %.0f ns CPU each (%.2f us)%s\n",
                    iterations, cpu * 1e9 / static_cast<double>(iterations), cpu * 1e6 / static_cast<double>(iterations),
                    refused ? " -- SOME REFUSED" : "");
        std::printf("(includes the once-per-second re-validation against the database that the cache TTL implies)\n");
        rc = refused ? 1 : 0;
    }
    std::filesystem::remove_all(dir);
    return rc;
}
