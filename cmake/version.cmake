# Generates mdl_version.c with the project version and a build id (git commit when known).
execute_process(COMMAND git rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE MDL_BUILD_ID OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET RESULT_VARIABLE _mdl_git_rc)
if(NOT _mdl_git_rc EQUAL 0 OR MDL_BUILD_ID STREQUAL "")
    set(MDL_BUILD_ID "unknown")
endif()
set(MDL_VERSION_SOURCE ${PROJECT_BINARY_DIR}/generated/mdl_version.c)
configure_file(${PROJECT_SOURCE_DIR}/cmake/mdl_version.c.in ${MDL_VERSION_SOURCE} @ONLY)
