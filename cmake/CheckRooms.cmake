# Run as `cmake -DSOURCE_DIR=… -P cmake/CheckRooms.cmake` (CTest does): fails when a file
# includes from a room above its own. The rooms, bottom to top:
#   common/ < store/ < templates/ < bot/ < bot/channels/ < bot/customers/ < bot/playbook/
#   < bot/delivery/ < bot/worker/ < handlers/http/ < handlers/ingress/ < handlers/admin/
#   < handlers/ < app/
# A file's room is the deepest room its folder is in. bot/ itself holds what every part of
# the bot shares (the inbound event, stages, metrics, configuration) and sits below its
# rooms; handlers/ itself holds the route table, which wires its rooms, and sits above them. A room may include its own
# headers and those of the rooms below; nothing includes app/ (the program) but the tests
# and benchmarks, which stand outside the rooms.
set(rooms common store templates bot bot/channels bot/customers bot/playbook bot/delivery bot/worker handlers/http
    handlers/ingress handlers/admin handlers app)

# The room of a path relative to SOURCE_DIR: the longest room that is a prefix of its folder.
function(room_of path out)
  set(found "")
  foreach(room IN LISTS rooms)
    string(LENGTH "${room}/" prefix_length)
    string(SUBSTRING "${path}" 0 ${prefix_length} head)
    if(head STREQUAL "${room}/")
      string(LENGTH "${found}" found_length)
      string(LENGTH "${room}" room_length)
      if(room_length GREATER found_length)
        set(found "${room}")
      endif()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

set(violations "")
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/common/*" "${SOURCE_DIR}/store/*"
     "${SOURCE_DIR}/templates/*" "${SOURCE_DIR}/bot/*" "${SOURCE_DIR}/handlers/*" "${SOURCE_DIR}/app/*")
list(FILTER sources INCLUDE REGEX "\\.(h|cpp)$")
foreach(source IN LISTS sources)
  room_of("${source}" room)
  list(FIND rooms "${room}" room_rank)
  file(STRINGS "${SOURCE_DIR}/${source}" includes REGEX "^#include \"[a-z_]+/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" target "${line}")
    room_of("${target}" target_room)
    list(FIND rooms "${target_room}" target_rank)
    if(target_rank GREATER room_rank)
      string(APPEND violations "  ${source} (${room}): ${line}\n")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "Includes from a lower room to a higher one (${rooms}):\n${violations}")
endif()
message(STATUS "rooms: every include runs downward (${rooms})")
