# Compiler flags shared by every hoop target: warnings (as errors when HOOP_WERROR is on;
# nvcc's own and its host compiler's for CUDA sources),
# optional sanitizers, and Open MPI's C++ bindings switched off (they warn under -Wextra).
add_library(hoop_build_flags INTERFACE)
target_compile_options(hoop_build_flags INTERFACE
  $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra -Wshadow>
  $<$<AND:$<BOOL:${HOOP_WERROR}>,$<COMPILE_LANGUAGE:C,CXX>>:-Werror>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra,-Wshadow>
  $<$<AND:$<BOOL:${HOOP_WERROR}>,$<COMPILE_LANGUAGE:CUDA>>:-Werror=all-warnings>
  $<$<AND:$<BOOL:${HOOP_WERROR}>,$<COMPILE_LANGUAGE:CUDA>>:-Xcompiler=-Werror>)
target_compile_definitions(hoop_build_flags INTERFACE OMPI_SKIP_MPICXX=1)

if(HOOP_SANITIZE)
  string(REPLACE "," ";" hoop_sanitizers "${HOOP_SANITIZE}")
  foreach(sanitizer IN LISTS hoop_sanitizers)
    if(NOT sanitizer MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "HOOP_SANITIZE: unknown sanitizer '${sanitizer}'")
    endif()
  endforeach()
  add_compile_options(-fsanitize=${HOOP_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${HOOP_SANITIZE})
endif()
