# Installs the headers, the library, a CMake package (find_package(hoop) -> hoop::hoop) and
# a pkg-config file (pkg-config --cflags --libs hoop, next to mpicc).
include(CMakePackageConfigHelpers)

install(DIRECTORY include/hoop DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(TARGETS hoop EXPORT hoopTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hoopTargets NAMESPACE hoop:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hoop)

configure_package_config_file(cmake/hoopConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/hoopConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hoop)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/hoopConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hoopConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/hoopConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hoop)

# Relocatable: the prefix is found from the .pc file's own place, so `cmake --install --prefix`
# anywhere gives a working file.
file(RELATIVE_PATH HOOP_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" HOOP_PC_TO_PREFIX "${HOOP_PC_TO_PREFIX}")
configure_file(cmake/hoop.pc.in ${CMAKE_CURRENT_BINARY_DIR}/hoop.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hoop.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
