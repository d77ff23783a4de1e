#pragma once
// One pheu serves a database file at a time: `pheu serve` holds an advisory lock on the file
// for as long as it runs, and `pheu restore` refuses to replace a file someone serves. The
// lock is flock(2), which the kernel drops with the process (a kill -9 included) and which
// never meets SQLite's own fcntl locks on the same file.
#include <string>

namespace pheu::store {

class ServingLock {
public:
    // Throws std::runtime_error when another process serves `database`.
    explicit ServingLock(const std::string& database);
    ~ServingLock();
    ServingLock(const ServingLock&) = delete;
    ServingLock& operator=(const ServingLock&) = delete;

    // Whether a process serves `database` now (false when there is no such file).
    static bool held_elsewhere(const std::string& database);

private:
    int m_fd = -1;
};

} // namespace pheu::store
