#include "cli/rotate_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <tessera/sdk/http.hpp>

#include "app/host.hpp"
#include "core/master_key.hpp"
#include "http/dispatcher.hpp"
#include "tenants/secret_sealing.hpp"

namespace tessera::host {
namespace {

// The new key, as 32 raw bytes (a copy of a secret.key) or as 64 hex digits or base64.
// Either way the file must be its owner's alone, like the key file.
SecretBox::Key keyFromNewKeyFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw std::runtime_error("cannot read --new-key-file " + path + ": " + std::strerror(errno));
    if (st.st_size == static_cast<off_t>(SecretBox::kKeySize)) return readKeyFile(path);
    if ((st.st_mode & 077) != 0)
        throw std::runtime_error("--new-key-file " + path + " is readable by group or others: chmod 600 " + path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string key = text.str();
    key.erase(key.find_last_not_of(" \t\r\n") + 1);
    return parseMasterKey(key, "--new-key-file " + path);
}

std::string compactUtcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &tm);
    return out;
}

// The key a rotation seals with. With the key file, it is written to secret.key.next
// before anything is sealed with it, and read back from there when an interrupted
// rotation is run again.
SecretBox::Key nextKey(const Config& config, const MasterKey& current, bool key_file, const std::string& new_key_file) {
    if (!key_file) {
        if (new_key_file.empty())
            throw std::runtime_error("the master key comes from " + current.source +
                                     ", which this command cannot change: write a new key to a file (openssl rand "
                                     "-hex 32 > new.key && chmod 600 new.key), run again with --new-key-file "
                                     "new.key, then set " + current.source + " to that key");
        return keyFromNewKeyFile(new_key_file);
    }
    const std::string next_path = nextKeyFilePath(config.data_dir);
    SecretBox::Key next = new_key_file.empty() ? randomKey() : keyFromNewKeyFile(new_key_file);
    // Refused before secret.key.next exists: it would hold up the server for nothing.
    if (next == current.key) throw std::runtime_error("the new key is the current key");
    if (createKeyFile(next_path, next)) return next;
    const SecretBox::Key unfinished = readKeyFile(next_path);
    if (!new_key_file.empty() && unfinished != next)
        throw std::runtime_error("an unfinished rotation to another key is in " + next_path +
                                 ": finish it first (run again without --new-key-file)");
    std::printf("finishing the rotation to the key in %s\n", next_path.c_str());
    return unfinished;
}

// The new key file replaces the old one in a single rename; the old key stays under
// another name, since backups taken before now need it.
std::string installNextKeyFile(const Config& config) {
    const std::string current = keyFilePath(config.data_dir), next = nextKeyFilePath(config.data_dir);
    const std::string kept = current + ".previous-" + compactUtcNow();
    if (::link(current.c_str(), kept.c_str()) != 0)
        throw std::runtime_error("cannot keep the previous key as " + kept + ": " + std::strerror(errno));
    std::filesystem::rename(next, current);
    // The renames are durable once the directory is on disk too.
    if (const int dir = ::open(config.data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return kept;
}

// Every sealed value of one tenant: the host's, then each plugin's whose tables the
// tenant has (a plugin disabled since keeps its sealed values).
int resealTenant(Host& host, const ScopeServices& services, const std::shared_ptr<const TenantRecord>& tenant) {
    host.tenants().ensureMigrated(*tenant);
    int sealed = 0;
    std::vector<std::string> plugins;
    {
        auto lease = host.pool().acquire(tenant->slug);
        sealed += resealAllSecrets(lease.db(), tenant->slug);
        for (const auto& [plugin, reseal] : host.registry().secretResealers())
            if (lease.db().queryOne("SELECT 1 FROM tessera_migrations WHERE owner = ? LIMIT 1", {plugin}))
                plugins.push_back(plugin);
    }
    for (const auto& plugin : plugins) {
        HostScope scope(services, tenant, plugin, "cli-" + newRequestId());
        sealed += host.registry().secretResealers().at(plugin)(scope);
    }
    return sealed;
}

}  // namespace

int rotateMasterKey(Host& host, const std::string& new_key_file) {
    const Config& config = host.config();
    const MasterKey current = loadMasterKey(config);
    const bool key_file = current.source == keyFilePath(config.data_dir);
    const SecretBox::Key next = nextKey(config, current, key_file, new_key_file);
    if (next == current.key) throw std::runtime_error("the new key is the current key");
    installRotatingMasterKey(next, current.key);

    ScopeServices services{host.pool(), host.tenants(), host.registry()};
    int sealed = 0, failed = 0;
    const auto tenants = host.directory().list();
    for (const auto& record : tenants) {
        const auto tenant = host.directory().bySlug(record.slug);
        if (!tenant) continue;  // deleted meanwhile
        try {
            const int n = resealTenant(host, services, tenant);
            sealed += n;
            std::printf("%s: %d secret(s) sealed with the new key\n", tenant->slug.c_str(), n);
        } catch (const sdk::ApiError& e) {
            ++failed;
            std::fprintf(stderr, "%s: %s\n", tenant->slug.c_str(), e.message().c_str());
        } catch (const std::exception& e) {
            ++failed;
            std::fprintf(stderr, "%s: %s\n", tenant->slug.c_str(), e.what());
        }
    }
    if (failed > 0) {
        std::fprintf(stderr,
                     "%d of %zu tenants failed and keep values sealed with the old key. Fix what is named above and "
                     "run `tessera secrets rotate-key` again%s: values already sealed with the new key open either "
                     "way.\n",
                     failed, tenants.size(), key_file ? "" : " with the same --new-key-file");
        return 1;
    }
    std::printf("%zu tenants, %d secret(s) sealed with the new key\n", tenants.size(), sealed);
    if (key_file) {
        const std::string kept = installNextKeyFile(config);
        std::printf("the new key is in %s. The previous key is kept as %s: backups taken before now need it to "
                    "read their secrets; delete it when they expire.\n",
                    keyFilePath(config.data_dir).c_str(), kept.c_str());
    } else {
        std::printf("set %s to the key in %s on every host before starting them again.\n", current.source.c_str(),
                    new_key_file.c_str());
    }
    return 0;
}

}  // namespace tessera::host
