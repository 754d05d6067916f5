# What corslint says about itself, `cmake --install`, and the Debian
# package that CPack builds.

# Where the rule pages are published. SARIF output links each rule to
# `${CORSLINT_DOCS_URL}docs/rules/NAME.md`; when empty, to the pages
# installed beside the program, or else to this source tree.
set(CORSLINT_DOCS_URL "" CACHE STRING
  "base URL of the published README.md and docs/rules/ (may be empty)")
set_property(SOURCE analyzer/about.cc APPEND PROPERTY COMPILE_DEFINITIONS
  CORSLINT_VERSION="${PROJECT_VERSION}"
  CORSLINT_DOCS_URL="${CORSLINT_DOCS_URL}"
  CORSLINT_INSTALL_BINDIR="${CMAKE_INSTALL_BINDIR}"
  CORSLINT_INSTALL_DOCDIR="${CMAKE_INSTALL_DOCDIR}"
  CORSLINT_SOURCE_ROOT="${PROJECT_SOURCE_DIR}")

if(NOT TARGET corslint)
  return()
endif()

# The man page, compressed as Debian installs man pages.
set(CORSLINT_MAN_PAGE ${PROJECT_BINARY_DIR}/corslint.1.gz)
add_custom_command(OUTPUT ${CORSLINT_MAN_PAGE}
  COMMAND gzip -9 -n -c ${PROJECT_SOURCE_DIR}/docs/corslint.1
          > ${CORSLINT_MAN_PAGE}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/corslint.1
  VERBATIM)
add_custom_target(corslint_man ALL DEPENDS ${CORSLINT_MAN_PAGE})

install(TARGETS corslint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CORSLINT_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/rules DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME corslint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "static analyzer for CORS configurations")
set(CPACK_PACKAGE_DESCRIPTION
  "corslint reads nginx and Apache httpd configurations into one policy model and reports CORS mistakes: wildcard origins with credentials, reflected or loosely matched origins, missing Vary: Origin, headers lost on errors or nested levels.")
set(CPACK_PACKAGE_CONTACT "corslint maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
