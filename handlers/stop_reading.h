#pragma once
// Ends the reading side of the connection a request came on, found by its ports.
//
// Why: cpp-httplib (0.11.4) gives a handler no socket, and keeps a connection alive after
// any answer. When pheu refuses a declared body over the limit before reading it, the
// unread body would then be read as the next request's request line, which cpp-httplib
// buffers whole: ten 10 MB bodies grew the server by hundreds of MB (bench/battery/
// hostile.py). Shutting the read side makes that next read end the connection instead.
// Rare by design (only refused bodies come here), so the scan of /proc/self/fd is fine.
namespace pheu::handlers {

// Returns false when no socket of this process has those ports.
bool stop_reading_connection(int local_port, int remote_port);

} // namespace pheu::handlers
