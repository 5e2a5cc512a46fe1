# Compiler launcher, warnings and sanitizers for fieldline's own targets.

find_program(FL_CCACHE ccache)
if(FL_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${FL_CCACHE})
endif()

if(FL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Applied to every fieldline target (never to third-party code, whose headers
# live in /usr/include and are system headers anyway).
function(fl_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic -Wno-missing-field-initializers)
endfunction()
