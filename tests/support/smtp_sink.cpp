#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace tessera::test {
namespace {

bool sendAll(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads one CRLF-terminated line (without the CRLF); false on EOF or a 10 s silence.
bool readLine(int fd, std::string& buffer, std::string& line) {
    for (;;) {
        const auto eol = buffer.find("\r\n");
        if (eol != std::string::npos) {
            line = buffer.substr(0, eol);
            buffer.erase(0, eol + 2);
            return true;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) return false;
        char chunk[4096];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string angleAddress(const std::string& arg) {
    const auto lt = arg.find('<'), gt = arg.find('>');
    if (lt == std::string::npos || gt == std::string::npos || gt < lt) return arg;
    return arg.substr(lt + 1, gt - lt - 1);
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string ReceivedMail::header(const std::string& name) const {
    const std::string want = upper(name) + ":";
    std::size_t pos = 0;
    while (pos < data.size()) {
        const auto eol = data.find("\r\n", pos);
        const std::string line = data.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (line.empty()) break;
        if (upper(line.substr(0, want.size())) == want) {
            std::string v = line.substr(want.size());
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            return v;
        }
        if (eol == std::string::npos) break;
        pos = eol + 2;
    }
    return "";
}

std::string ReceivedMail::decodedBody() const {
    const auto start = data.find("\r\n\r\n");
    if (start == std::string::npos) return "";
    const std::string qp = data.substr(start + 4);
    std::string out;
    for (std::size_t i = 0; i < qp.size(); ++i) {
        if (qp[i] == '=' && i + 2 < qp.size() && qp[i + 1] == '\r' && qp[i + 2] == '\n') {
            i += 2;
        } else if (qp[i] == '=' && i + 2 < qp.size()) {
            out += static_cast<char>(std::stoi(qp.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else if (qp[i] != '\r') {
            out += qp[i];
        }
    }
    return out;
}

SmtpSink::SmtpSink() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error("SmtpSink: cannot listen on loopback");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

SmtpSink::~SmtpSink() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (thread_.joinable()) thread_.join();
}

void SmtpSink::serve() {
    while (!stopping_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        session(fd);
        ::close(fd);
    }
}

void SmtpSink::session(int fd) {
    std::string buffer, line;
    ReceivedMail current;
    if (!sendAll(fd, "220 tessera-test-sink ESMTP\r\n")) return;
    while (readLine(fd, buffer, line)) {
        const std::string verb = upper(line.substr(0, 4));
        if (verb == "EHLO") {
            sendAll(fd, "250-tessera-test-sink\r\n250 8BITMIME\r\n");
        } else if (verb == "HELO") {
            sendAll(fd, "250 tessera-test-sink\r\n");
        } else if (verb == "MAIL") {
            current = ReceivedMail{};
            current.from = angleAddress(line);
            sendAll(fd, "250 OK\r\n");
        } else if (verb == "RCPT") {
            const std::string to = angleAddress(line);
            int code = 0;
            {
                std::lock_guard lock(mutex_);
                if (auto it = refuse_.find(to); it != refuse_.end()) code = it->second;
                if (code) ++refusals_[to];
            }
            if (code) {
                sendAll(fd, std::to_string(code) + (code < 500 ? " try again later\r\n" : " no such user\r\n"));
            } else {
                current.to.push_back(to);
                sendAll(fd, "250 OK\r\n");
            }
        } else if (verb == "DATA") {
            sendAll(fd, "354 end with <CRLF>.<CRLF>\r\n");
            std::string data;
            while (readLine(fd, buffer, line) && line != ".") data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
            current.data = data;
            {
                std::lock_guard lock(mutex_);
                mails_.push_back(current);
            }
            arrived_.notify_all();
            sendAll(fd, "250 OK queued\r\n");
        } else if (verb == "RSET" || verb == "NOOP") {
            sendAll(fd, "250 OK\r\n");
        } else if (verb == "QUIT") {
            sendAll(fd, "221 bye\r\n");
            return;
        } else {
            sendAll(fd, "502 not implemented\r\n");
        }
    }
}

void SmtpSink::refuse(const std::string& address, int code) {
    std::lock_guard lock(mutex_);
    if (code) refuse_[address] = code;
    else refuse_.erase(address);
}

std::vector<ReceivedMail> SmtpSink::received() {
    std::lock_guard lock(mutex_);
    return mails_;
}

bool SmtpSink::waitFor(std::size_t count, int seconds) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, std::chrono::seconds(seconds), [&] { return mails_.size() >= count; });
}

int SmtpSink::refusals(const std::string& address) {
    std::lock_guard lock(mutex_);
    return refusals_[address];
}

}  // namespace tessera::test
