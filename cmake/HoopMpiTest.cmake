# hoop_add_mpi_test(NAME name RANKS n TIMEOUT seconds [ENV VAR=value...] COMMAND program [args...])
# Runs a program under mpirun with the flags this project's machines need: running as root
# is allowed, more ranks than cores are allowed (oversubscription), and ranks are not bound
# to cores so that oversubscribed ranks can share them. ENV sets environment variables for
# every rank (mpirun passes the environment on to local ranks).
set(HOOP_MPIEXEC_FLAGS --allow-run-as-root --oversubscribe --bind-to none)

function(hoop_add_mpi_test)
  cmake_parse_arguments(ARG "" "NAME;RANKS;TIMEOUT" "ENV;COMMAND" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_RANKS OR NOT ARG_TIMEOUT OR NOT ARG_COMMAND)
    message(FATAL_ERROR "hoop_add_mpi_test needs NAME, RANKS, TIMEOUT and COMMAND")
  endif()
  add_test(NAME ${ARG_NAME}
    COMMAND ${MPIEXEC_EXECUTABLE} ${HOOP_MPIEXEC_FLAGS} ${MPIEXEC_NUMPROC_FLAG} ${ARG_RANKS} ${ARG_COMMAND})
  set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT} PROCESSORS ${ARG_RANKS})
  if(ARG_ENV)
    set_tests_properties(${ARG_NAME} PROPERTIES ENVIRONMENT "${ARG_ENV}")
  endif()
endfunction()
