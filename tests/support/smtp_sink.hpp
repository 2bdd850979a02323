#pragma once
// A real SMTP server on a loopback port for tests: it speaks enough of RFC 5321 for
// libcurl (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it received.
// Recipients can be refused temporarily (4xx) or for good (5xx) to test retries.

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tessera::test {

struct ReceivedMail {
    std::string from;                 // MAIL FROM address
    std::vector<std::string> to;      // RCPT TO addresses
    std::string data;                 // the message as sent (headers and body, dot-unstuffed)
    std::string header(const std::string& name) const;
    // The body with quoted-printable soft breaks and escapes undone.
    std::string decodedBody() const;
};

class SmtpSink {
public:
    SmtpSink();
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    unsigned short port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    // RCPT TO this address is answered with `code` (e.g. 451, 550) until changed; 0 accepts.
    void refuse(const std::string& address, int code);
    std::vector<ReceivedMail> received();
    // Waits up to `seconds` for at least `count` messages.
    bool waitFor(std::size_t count, int seconds = 10);
    // Recipient attempts refused so far, by address.
    int refusals(const std::string& address);

private:
    void serve();
    void session(int fd);

    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<ReceivedMail> mails_;
    std::map<std::string, int> refuse_;
    std::map<std::string, int> refusals_;
};

}  // namespace tessera::test
