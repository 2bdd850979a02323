#include "http/connection.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tessera::host {

Connection::Connection(int fd) : socket(::fcntl(fd, F_DUPFD_CLOEXEC, 0)) {}

Connection::~Connection() {
    if (socket >= 0) ::close(socket);
}

bool Connection::take(bool closing) {
    std::lock_guard lock(mutex_);
    if (answering_) {
        close_after_ = true;
        return false;
    }
    answering_ = true;
    close_after_ = closing;
    return true;
}

void Connection::closeAfter() {
    std::lock_guard lock(mutex_);
    close_after_ = true;
}

void Connection::answered() {
    std::lock_guard lock(mutex_);
    endLocked();
}

void Connection::endLocked() {
    answering_ = false;
    if (close_after_) ::shutdown(socket, SHUT_RDWR);
}

}  // namespace tessera::host
