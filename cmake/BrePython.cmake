# bre_first_python_with(<var> <import statement> <candidates...>)
# Sets <var> to the first candidate interpreter that exists and runs
# `python -c "<import statement>"` without error, or to "" when none does. The
# bre_client package looks for grpcio and protobuf, the statistical references for
# statsmodels and scipy.
function(bre_first_python_with var import)
  set(found "")
  foreach(candidate IN LISTS ARGN)
    if(NOT EXISTS "${candidate}")
      continue()
    endif()
    execute_process(COMMAND ${candidate} -c "${import}" RESULT_VARIABLE probe OUTPUT_QUIET ERROR_QUIET)
    if(probe EQUAL 0)
      set(found ${candidate})
      break()
    endif()
  endforeach()
  set(${var} "${found}" PARENT_SCOPE)
endfunction()
