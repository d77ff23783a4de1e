# Run as `cmake -DSOURCE_DIR=… -P cmake/CheckStatements.cmake` (CTest does): fails when SQL is
# prepared any other way than through store/statement_cache.h. A statement prepared by hand
# is prepared again on every call (the dispatcher's records were, until 2026-12-06) or kept
# in a member beside the cache, a second way to read; and SQL belongs in store/.
set(violations "")
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/common/*" "${SOURCE_DIR}/store/*"
     "${SOURCE_DIR}/templates/*" "${SOURCE_DIR}/bot/*" "${SOURCE_DIR}/handlers/*" "${SOURCE_DIR}/app/*")
list(FILTER sources INCLUDE REGEX "\\.(h|cpp)$")
# The SQLite driver of store/sql/connection.h is where its statements are made.
list(REMOVE_ITEM sources "store/statement_cache.h" "store/sql/sqlite_connection.cpp")
foreach(source IN LISTS sources)
  # A statement declared by value (a local or a member) or made on the heap; references and
  # pointers to the cache's statements are fine.
  file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "SQLite::Statement( +[A-Za-z_]+[;({]|>)")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    string(APPEND violations "  ${source}: ${line}\n")
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "SQL prepared outside store::StatementCache (store/statement_cache.h):\n${violations}")
endif()
message(STATUS "statements: every one is prepared through store::StatementCache")
