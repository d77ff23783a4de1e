#include "store/serving_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <stdexcept>

namespace pheu::store {

ServingLock::ServingLock(const std::string& database) : m_fd(::open(database.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (m_fd < 0) {
        throw std::runtime_error("cannot open " + database + " to lock it");
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(m_fd);
        throw std::runtime_error("another pheu serves " + database + "; stop it first (one server per SQLite file)");
    }
}

ServingLock::~ServingLock() {
    ::close(m_fd); // releases the lock
}

bool ServingLock::held_elsewhere(const std::string& database) {
    const int fd = ::open(database.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool free = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
    ::close(fd);
    return !free;
}

} // namespace pheu::store
