# Fetches the pinned tree-sitter packages from the npm registry into the
# build folder, verifies each tarball against its pinned integrity string and
# builds the C runtime and the grammars as static libraries:
#
#   tree_sitter_runtime, tree_sitter_javascript, tree_sitter_typescript,
#   tree_sitter_tsx, tree_sitter_python
#
# A tarball already in the build folder is verified and reused, so the build
# works offline after the first configure. A hash that does not match stops
# the configure with the name, the expected and the actual digest.

set(TS_PINS_FILE ${CMAKE_CURRENT_LIST_DIR}/tree-sitter-pins.txt)
set(TS_DOWNLOAD_DIR ${CMAKE_BINARY_DIR}/_deps/npm)
set(TS_SOURCE_DIR ${CMAKE_BINARY_DIR}/_deps/src)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TS_PINS_FILE})

# Decodes base64 `text` into lower-case hex in `out`.
function(ts_base64_to_hex text out)
  set(alphabet
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  set(digits "0123456789abcdef")
  string(REGEX REPLACE "=+$" "" text "${text}")
  string(LENGTH "${text}" length)
  set(bits 0)
  set(count 0)
  set(hex "")
  math(EXPR last "${length} - 1")
  foreach(i RANGE 0 ${last})
    string(SUBSTRING "${text}" ${i} 1 char)
    string(FIND "${alphabet}" "${char}" value)
    if(value LESS 0)
      set(${out} "" PARENT_SCOPE)
      return()
    endif()
    math(EXPR bits "((${bits} << 6) | ${value}) & 0xFFFFFF")
    math(EXPR count "${count} + 6")
    if(count GREATER_EQUAL 8)
      math(EXPR count "${count} - 8")
      math(EXPR byte "(${bits} >> ${count}) & 0xFF")
      math(EXPR high "${byte} >> 4")
      math(EXPR low "${byte} & 15")
      string(SUBSTRING "${digits}" ${high} 1 h)
      string(SUBSTRING "${digits}" ${low} 1 l)
      string(APPEND hex "${h}${l}")
    endif()
  endforeach()
  set(${out} "${hex}" PARENT_SCOPE)
endfunction()

# Fetches, verifies and extracts one pinned package; sets
# TS_DIR_<name> to the extracted `package` folder.
function(ts_fetch name version integrity)
  set(tarball ${TS_DOWNLOAD_DIR}/${name}-${version}.tgz)
  if(NOT EXISTS ${tarball})
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR
        "tree-sitter: ${name}-${version}.tgz is not in ${TS_DOWNLOAD_DIR} "
        "and npm is not installed to fetch it (run scripts/setup.sh)")
    endif()
    file(MAKE_DIRECTORY ${TS_DOWNLOAD_DIR})
    message(STATUS "tree-sitter: npm pack ${name}@${version}")
    execute_process(
      COMMAND ${NPM_EXECUTABLE} pack ${name}@${version}
              --pack-destination ${TS_DOWNLOAD_DIR} --silent
      WORKING_DIRECTORY ${TS_DOWNLOAD_DIR}
      RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(NOT status EQUAL 0 OR NOT EXISTS ${tarball})
      message(FATAL_ERROR
        "tree-sitter: npm pack ${name}@${version} failed:\n${output}")
    endif()
  endif()

  string(REGEX REPLACE "^sha512-" "" expected_base64 "${integrity}")
  ts_base64_to_hex("${expected_base64}" expected)
  file(SHA512 ${tarball} actual)
  if(NOT expected STREQUAL actual)
    message(FATAL_ERROR
      "tree-sitter: ${tarball} does not match its pinned integrity\n"
      "  expected sha512 ${expected}\n"
      "  actual   sha512 ${actual}\n"
      "Delete the file to fetch it again, or check the pin in "
      "${TS_PINS_FILE}.")
  endif()

  set(dir ${TS_SOURCE_DIR}/${name}-${version})
  if(NOT EXISTS ${dir}/.extracted-${actual})
    file(REMOVE_RECURSE ${dir})
    file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${dir})
    file(TOUCH ${dir}/.extracted-${actual})
  endif()
  set(TS_DIR_${name} ${dir}/package PARENT_SCOPE)
endfunction()

file(STRINGS ${TS_PINS_FILE} pin_lines REGEX "^[^#]")
foreach(line IN LISTS pin_lines)
  string(REGEX MATCH "^([^ ]+) ([^ ]+) ([^ ]+)$" matched "${line}")
  if(NOT matched)
    message(FATAL_ERROR "tree-sitter: cannot read the pin line \"${line}\"")
  endif()
  ts_fetch(${CMAKE_MATCH_1} ${CMAKE_MATCH_2} ${CMAKE_MATCH_3})
  set(TS_DIR_${CMAKE_MATCH_1} ${TS_DIR_${CMAKE_MATCH_1}})
endforeach()

foreach(name tree-sitter tree-sitter-javascript tree-sitter-python
        tree-sitter-typescript)
  if(NOT TS_DIR_${name})
    message(FATAL_ERROR "tree-sitter: ${TS_PINS_FILE} has no pin for ${name}")
  endif()
endforeach()

# The runtime: one amalgamated translation unit.
set(TS_RUNTIME ${TS_DIR_tree-sitter}/vendor/tree-sitter/lib)
if(NOT EXISTS ${TS_RUNTIME}/src/lib.c)
  message(FATAL_ERROR
    "tree-sitter: ${TS_RUNTIME}/src/lib.c is missing from the package")
endif()
add_library(tree_sitter_runtime STATIC ${TS_RUNTIME}/src/lib.c)
target_include_directories(tree_sitter_runtime
  PUBLIC ${TS_RUNTIME}/include PRIVATE ${TS_RUNTIME}/src)
target_compile_definitions(tree_sitter_runtime PRIVATE _DEFAULT_SOURCE)
set_target_properties(tree_sitter_runtime PROPERTIES
  C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)

# The grammars: generated parser.c plus a hand-written scanner.c. The
# generated tables are large; they are compiled without debug information.
function(ts_grammar target dir)
  add_library(${target} STATIC ${dir}/parser.c ${dir}/scanner.c)
  target_include_directories(${target} PRIVATE ${dir})
  target_compile_options(${target} PRIVATE -g0 -w)
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
endfunction()

ts_grammar(tree_sitter_javascript ${TS_DIR_tree-sitter-javascript}/src)
ts_grammar(tree_sitter_python ${TS_DIR_tree-sitter-python}/src)
ts_grammar(tree_sitter_typescript
  ${TS_DIR_tree-sitter-typescript}/typescript/src)
ts_grammar(tree_sitter_tsx ${TS_DIR_tree-sitter-typescript}/tsx/src)
