# The browser build's dependencies (issue #15): configured by scripts/build-web.sh through `emcmake cmake`.
# Debian's imgui, yaml-cpp, md4c, fmt, OpenSSL and libidn2 source packages, built with emcc into MAILSIM_WEB_DEPS (include/,
# lib/), are presented under the same target names the desktop build gets from find_package/pkg-config, so
# engine/, sim/ and gui/ link them unchanged. GLFW and WebGL 2 are emscripten's own JavaScript libraries
# (-sUSE_GLFW=3 -sUSE_WEBGL2=1, offline); FreeType, stb and the glad loader are not needed in the page.
set(MAILSIM_WEB_DEPS "" CACHE PATH "Prefix with the dependencies built for wasm (scripts/build-web.sh)")
if(NOT MAILSIM_WEB_DEPS OR NOT EXISTS ${MAILSIM_WEB_DEPS}/lib/libyaml-cpp.a)
  message(FATAL_ERROR "The browser build needs -DMAILSIM_WEB_DEPS=<prefix> with the wasm dependencies; "
                      "run scripts/build-web.sh, which builds them and configures this build.")
endif()
set(MAILSIM_BUILD_TESTS OFF CACHE BOOL "" FORCE)

# emscripten 3.1.6's libc++ (14) lacks std::expected and the std::ranges algorithms: the fuzz build's <expected>
# (tests/fuzz/compat, shared) and web/compat/mailsim_compat.hpp supply them.
include_directories(BEFORE SYSTEM ${PROJECT_SOURCE_DIR}/tests/fuzz/compat)
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:SHELL:-include ${PROJECT_SOURCE_DIR}/web/compat/mailsim_compat.hpp>")
# yaml-cpp reports bad scenario files by throwing: C++ exceptions must be caught in the page too.
add_compile_options(-fexceptions)
add_link_options(-fexceptions)

function(mailsim_web_lib target lib)
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${ARGN}"
    INTERFACE_LINK_LIBRARIES "${lib}")
endfunction()
set(inc ${MAILSIM_WEB_DEPS}/include)
set(lib ${MAILSIM_WEB_DEPS}/lib)
mailsim_web_lib(fmt::fmt ${lib}/libfmt.a ${inc})
mailsim_web_lib(yaml-cpp ${lib}/libyaml-cpp.a ${inc})
mailsim_web_lib(OpenSSL::Crypto ${lib}/libcrypto.a ${inc})
mailsim_web_lib(OpenSSL::SSL "${lib}/libssl.a;OpenSSL::Crypto" ${inc})
mailsim_web_lib(PkgConfig::IMGUI ${lib}/libimgui.a ${inc}/imgui)
mailsim_web_lib(PkgConfig::MD4C ${lib}/libmd4c.a ${inc})
mailsim_web_lib(PkgConfig::IDN2 ${lib}/libidn2.a ${inc})
add_library(glfw INTERFACE IMPORTED GLOBAL)
set_target_properties(glfw PROPERTIES INTERFACE_LINK_OPTIONS "-sUSE_GLFW=3")
foreach(t PkgConfig::STB OpenGL::GL Freetype::Freetype mailsim_glad)
  add_library(${t} INTERFACE IMPORTED GLOBAL)
endforeach()
