# Run as `cmake -DSOURCE_DIR=… -P cmake/CheckRooms.cmake` (CTest does): fails when a file
# includes from a room above its own. The rooms, bottom to top:
#   common/ < store/ < templates/ < bot/ < handlers/ < app/
# A room may include its own headers and those of the rooms below; nothing includes app/
# (the program) but the tests and benchmarks, which stand outside the rooms.
set(rooms common store templates bot handlers app)
set(violations "")
foreach(room IN LISTS rooms)
  list(FIND rooms ${room} room_rank)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${room}/*.h" "${SOURCE_DIR}/${room}/*.cpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^#include \"[a-z_]+/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*" "\\1" target "${line}")
      list(FIND rooms ${target} target_rank)
      if(target_rank GREATER room_rank)
        file(RELATIVE_PATH relative "${SOURCE_DIR}" "${source}")
        string(APPEND violations "  ${relative}: ${line}\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "Includes from a lower room to a higher one (${rooms}):\n${violations}")
endif()
message(STATUS "rooms: every include runs downward (${rooms})")
