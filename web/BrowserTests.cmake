# The browser tests (issue #15), registered in the desktop build when emcc and chromium are installed
# (scripts/install-deps.sh installs both, so CI runs them). browser.site.build builds the site from this source tree
# with scripts/build-web.sh into <build>/web (the wasm dependencies are built once into MAILSIM_WEB_DEPS_DIR and
# reused); the other tests load it in headless chromium (software GL) from a python http.server on 127.0.0.1.
if(NOT MAILSIM_BUILD_TESTS)
  return()
endif()
find_program(MAILSIM_EMCC emcc)
find_program(MAILSIM_CHROMIUM NAMES chromium chromium-browser)
if(NOT MAILSIM_EMCC OR NOT MAILSIM_CHROMIUM)
  message(STATUS "emcc or chromium not found: the browser tests are not registered (scripts/install-deps.sh)")
  return()
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(MAILSIM_WEB_DEPS_DIR ${CMAKE_BINARY_DIR}/web/deps CACHE PATH "Where the browser tests build the wasm dependencies")
set(web_dir ${CMAKE_BINARY_DIR}/web)
add_test(NAME browser.site.build COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-web.sh)
set_tests_properties(browser.site.build PROPERTIES
  LABELS browser FIXTURES_SETUP web_site TIMEOUT 3600 RUN_SERIAL TRUE
  ENVIRONMENT "MAILSIM_WEB_DIR=${web_dir};MAILSIM_WEB_DEPS_DIR=${MAILSIM_WEB_DEPS_DIR}")
set(shotcheck "")
if(TARGET mailsim-gui-shotcheck)
  set(shotcheck $<TARGET_FILE:mailsim-gui-shotcheck>)
endif()
foreach(t load shot-en shot-zh deeplink file predict export settings sandbox serve nowebgl)
  add_test(NAME browser.${t}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/browser_test.py ${web_dir}/site
            ${MAILSIM_CHROMIUM} ${web_dir}/shots ${t} ${shotcheck})
  set_tests_properties(browser.${t} PROPERTIES LABELS browser FIXTURES_REQUIRED web_site TIMEOUT 300)
endforeach()
# The GUI bench's 1M-event trace in the page (figures printed, budget in docs/performance.md).
add_test(NAME browser.bench COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/browser_test.py
         ${web_dir}/site ${MAILSIM_CHROMIUM} ${web_dir}/shots bench)
set_tests_properties(browser.bench PROPERTIES LABELS "browser;bench" FIXTURES_REQUIRED web_site TIMEOUT 600)
