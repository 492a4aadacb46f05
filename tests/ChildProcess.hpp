// Test helper for the crash tests (the delivery journal, the Maildir index): runs a piece of a test in a forked child,
// which may die at a crash point (`armCrashAfter`, maildir/FileIo.hpp: exit status 77) the way a power cut would, and
// gives the parent what the child acknowledged before it died.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace mailsim::test {

// What a child left behind: the bytes it acknowledged through `Ack`, in order, and its exit status.
struct ChildRun {
    std::string acks;
    int exitCode = -1;
};

// The child's acknowledgement channel: each call writes `size` bytes to the parent; a failed write ends the child
// with status 4 (so the parent never counts an acknowledgement that was not made).
class Ack {
public:
    explicit Ack(int fd) : m_fd(fd) {}
    void operator()(const void* data, std::size_t size) const {
        if (::write(m_fd, data, size) != static_cast<ssize_t>(size)) ::_exit(4);
    }

private:
    int m_fd;
};

// Runs `body(ack)` in a forked child and waits for it. The child ends with _exit: status 0 when `body` returns, or
// whatever `body` (or a crash point) chose, so no destructor of the parent's objects runs in the child. Objects local
// to `body` are destroyed when it returns: a body that must die as a crash would (no destructor, no last flush) ends
// with `::_exit(0)` itself. REQUIREs that the
// child exited (no signal). `body` must not use Catch2 assertions (they belong to the parent); it reports failure
// by `::_exit(n)` with n other than 0 and 77.
template <class Body>
ChildRun runInChild(Body body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        body(Ack(fds[1]));
        ::_exit(0);
    }
    ::close(fds[1]);
    ChildRun run;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) run.acks.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    run.exitCode = WEXITSTATUS(status);
    return run;
}

// Runs `body(ack)` in a child (runInChild) that sees the tree `root` read-only: every directory 0555, every file 0444,
// and the child drops to "nobody" when the tests run as root (root ignores permissions). Afterwards everything is
// 0700 again, so the test and TempDir can go on. A child that cannot drop its privileges exits with status 5.
template <class Body>
ChildRun runReadOnly(const std::filesystem::path& root, Body body) {
    namespace fs = std::filesystem;
    for (const auto& e : fs::recursive_directory_iterator(root))
        fs::permissions(e.path(), e.is_directory() ? fs::perms(0555) : fs::perms(0444));
    fs::permissions(root, fs::perms(0555));
    ChildRun run = runInChild([&](Ack ack) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(5);
        body(ack);
    });
    fs::permissions(root, fs::perms(0700));
    for (const auto& e : fs::recursive_directory_iterator(root)) fs::permissions(e.path(), fs::perms(0700));
    return run;
}

}  // namespace mailsim::test
