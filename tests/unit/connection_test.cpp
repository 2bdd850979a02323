// A connection's one-request-at-a-time rule and its close, on a socket pair: no server,
// no Pistache.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include "http/connection.hpp"

namespace tessera::host {
namespace {

class ConnectionState : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
    void TearDown() override {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    // What the client end reads now: "" at the end of the stream, "open" while it is open.
    std::string clientSees() {
        char byte;
        const ssize_t n = ::recv(fds_[1], &byte, 1, MSG_DONTWAIT);
        return n == 0 ? "" : "open";
    }
    int fds_[2] = {-1, -1};
};

TEST_F(ConnectionState, ARequestThatComesWhileAnotherIsAnsweredIsNotTakenAndTheConnectionCloses) {
    Connection c(fds_[0]);
    ASSERT_GE(c.socket, 0);
    EXPECT_NE(c.socket, fds_[0]) << "a duplicate of its own, not Pistache's number";
    EXPECT_TRUE(c.take(false));
    EXPECT_FALSE(c.take(false)) << "pipelined";
    EXPECT_EQ(clientSees(), "open");
    c.answered();  // the first answer is out: the pipelining client is hung up on
    EXPECT_EQ(clientSees(), "");
}

TEST_F(ConnectionState, KeepAliveTakesOneRequestAfterAnother) {
    Connection c(fds_[0]);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(c.take(false));
        c.answerWith([] { return true; });  // written whole: the request ends with the write
    }
    EXPECT_EQ(clientSees(), "open");
    EXPECT_TRUE(c.take(true));
    c.answered();  // an answer marked close is followed by the close
    EXPECT_EQ(clientSees(), "");
}

TEST_F(ConnectionState, AnAnswerNotAllWrittenKeepsTheRequestOpen) {
    Connection c(fds_[0]);
    EXPECT_TRUE(c.take(false));
    c.answerWith([] { return false; });  // the rest goes out in the background
    EXPECT_FALSE(c.take(false)) << "still answering";
}

TEST_F(ConnectionState, TheDeadlineFollowsTheRequestUntilItIsOver) {
    Connection c(fds_[0]);
    EXPECT_EQ(c.deadline_ms.load(), 0);
    c.expectHead(std::chrono::seconds(30));
    const auto head = c.deadline_ms.load();
    EXPECT_GT(head, Connection::sinceEpochMs(std::chrono::steady_clock::now()) + 29'000);
    c.expectBody(std::chrono::seconds(60));
    EXPECT_EQ(c.deadline_ms.load(), head + 30'000) << "counted from the request's start";
    c.received = "GET / HTTP/1.1\r\n";
    c.mid_request = true;
    c.nextRequest();
    EXPECT_EQ(c.deadline_ms.load(), 0);
    EXPECT_TRUE(c.received.empty());
    EXPECT_FALSE(c.mid_request);
}

}  // namespace
}  // namespace tessera::host
