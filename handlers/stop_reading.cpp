#include "handlers/stop_reading.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <memory>

namespace pheu::handlers {

namespace {

int port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    }
    return -1;
}

bool has_ports(int fd, int local_port, int remote_port) {
    sockaddr_storage local{};
    sockaddr_storage remote{};
    socklen_t local_size = sizeof local;
    socklen_t remote_size = sizeof remote;
    return ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) == 0 &&
           ::getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &remote_size) == 0 &&
           port_of(local) == local_port && port_of(remote) == remote_port;
}

} // namespace

bool stop_reading_connection(int local_port, int remote_port) {
    struct CloseDir {
        void operator()(DIR* dir) const { ::closedir(dir); }
    };
    std::unique_ptr<DIR, CloseDir> fds(::opendir("/proc/self/fd"));
    if (!fds) {
        return false;
    }
    while (const dirent* entry = ::readdir(fds.get())) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0') {
            continue; // "." and ".."
        }
        if (has_ports(static_cast<int>(fd), local_port, remote_port)) {
            return ::shutdown(static_cast<int>(fd), SHUT_RD) == 0;
        }
    }
    return false;
}

} // namespace pheu::handlers
