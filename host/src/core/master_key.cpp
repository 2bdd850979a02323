#include "core/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <tessera/sdk/rest/text.hpp>

#include "config/settings_section.hpp"

namespace tessera::host {
namespace {

std::unique_ptr<const SecretBox>& installedBox() {
    static std::unique_ptr<const SecretBox> box;
    return box;
}

std::string errnoText() { return std::strerror(errno); }

// Reads the whole key file through an open descriptor, so the checks and the read are
// about the same file even if the path is replaced in between.
SecretBox::Key readOpenKeyFile(const std::string& path, int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0) throw std::runtime_error("cannot stat the secret key file " + path + ": " + errnoText());
    if (!S_ISREG(st.st_mode)) throw std::runtime_error("the secret key file " + path + " is not a regular file");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw std::runtime_error("the secret key file " + path + " has mode " + mode +
                                 ": it must be readable only by its owner (chmod 600 " + path + ")");
    }
    if (st.st_size != static_cast<off_t>(SecretBox::kKeySize))
        throw std::runtime_error("the secret key file " + path + " holds " + std::to_string(st.st_size) +
                                 " bytes, not 32: it is not a key this host wrote; restore the original file or "
                                 "set TESSERA_SECRET_KEY");
    SecretBox::Key key{};
    std::size_t got = 0;
    while (got < key.size()) {
        const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot read the secret key file " + path + ": " + errnoText());
        got += static_cast<std::size_t>(n);
    }
    return key;
}

SecretBox::Key keyFromFile(const std::string& data_dir, std::string& path_out) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    const std::string path = keyFilePath(data_dir);
    path_out = path;
    // Exclusive creation: of two processes starting at once on a new data directory,
    // exactly one writes the key and the other reads it.
    const SecretBox::Key fresh = randomKey();
    if (createKeyFile(path, fresh)) return fresh;
    return readKeyFile(path);
}

}  // namespace

SecretBox::Key parseMasterKey(const std::string& text, const std::string& what) {
    SecretBox::Key key{};
    if (text.size() == 2 * key.size()) {
        bool ok = true;
        for (std::size_t i = 0; i < key.size() && ok; ++i) {
            const int hi = sdk::rest::hexDigitValue(text[2 * i]), lo = sdk::rest::hexDigitValue(text[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            key[i] = static_cast<std::uint8_t>(hi * 16 + lo);
        }
        if (ok) return key;
    }
    std::string raw;
    if (base64Decode(text, raw) && raw.size() == key.size()) {
        std::memcpy(key.data(), raw.data(), key.size());
        OPENSSL_cleanse(raw.data(), raw.size());
        return key;
    }
    throw std::runtime_error(what + " must be 32 bytes written as 64 hex digits or as base64 (e.g. the output of "
                                    "`openssl rand -hex 32`)");
}

MasterKey loadMasterKey(const Config& config) {
    MasterKey out;
    if (const char* env = std::getenv("TESSERA_SECRET_KEY"); env != nullptr && *env != '\0') {
        out.key = parseMasterKey(env, "TESSERA_SECRET_KEY");
        out.source = "TESSERA_SECRET_KEY";
        return out;
    }
    if (auto text = SettingsSection(config, "auth").text("secret_key"); text && !text->empty()) {
        out.key = parseMasterKey(*text, "auth.secret_key");
        out.source = "auth.secret_key";
        return out;
    }
    out.key = keyFromFile(config.data_dir, out.source);
    return out;
}

void installMasterKey(const MasterKey& key) { installedBox() = std::make_unique<const SecretBox>(key.key); }

void installRotatingMasterKey(const SecretBox::Key& next, const SecretBox::Key& previous) {
    installedBox() = std::make_unique<const SecretBox>(next, previous);
}

std::string keyFilePath(const std::string& data_dir) { return (std::filesystem::path(data_dir) / "secret.key").string(); }

std::string nextKeyFilePath(const std::string& data_dir) { return keyFilePath(data_dir) + ".next"; }

void refuseUnfinishedRotation(const std::string& data_dir) {
    const std::string next = nextKeyFilePath(data_dir);
    if (std::filesystem::exists(next))
        throw std::runtime_error("a master key rotation is unfinished (" + next +
                                 " exists): some secrets are sealed with the new key already. Run `tessera secrets "
                                 "rotate-key` again to finish it (docs/security.md)");
}

SecretBox::Key randomKey() {
    SecretBox::Key key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        throw std::runtime_error("the CSPRNG failed while making a master key");
    return key;
}

bool createKeyFile(const std::string& path, const SecretBox::Key& key) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        throw std::runtime_error("cannot create the secret key file " + path + ": " + errnoText());
    }
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        ::unlink(path.c_str());
        throw std::runtime_error("cannot write the secret key file " + path + ": " + errnoText());
    }
    return true;
}

SecretBox::Key readKeyFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) throw std::runtime_error("cannot open the secret key file " + path + ": " + errnoText());
    try {
        auto key = readOpenKeyFile(path, fd);
        ::close(fd);
        return key;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

const SecretBox& masterSecretBox() {
    const auto& box = installedBox();
    if (!box) throw std::logic_error("no master key installed: the host must call installMasterKey at startup");
    return *box;
}

}  // namespace tessera::host
