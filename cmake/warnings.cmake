# Compiler warnings and sanitizers, applied per target so third-party code is untouched.
function(mdl_apply_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
        -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef
        -Wvla -Wdouble-promotion -Wimplicit-fallthrough)
    if(MDL_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

if(MDL_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
