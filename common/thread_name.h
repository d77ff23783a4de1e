#pragma once
// Names the calling thread, so `top -H`, perf and gdb show which part of pheu a thread is
// (the worker, the inbox writer, an HTTP connection) instead of 300 threads called "pheu".
// In store/ because it is the library every other one links.
#include <pthread.h>

#include <string>

namespace pheu::common {

inline void name_this_thread(const std::string& name) {
    // Linux keeps at most 15 characters and refuses a longer name outright.
    ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

} // namespace pheu::common
