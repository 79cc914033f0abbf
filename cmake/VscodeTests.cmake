# The VS Code extension end to end: tests/editors/vscode/run packages the .vsix (with the static
# loopsafe built in build/static), installs code-server and puppeteer-core into build/editor-tests/vscode
# the first time, and drives the extension in code-server with Debian's headless Chromium.
# Serial: VS Code, Chromium and the static build want both cores.
if(LOOPSAFE_STATIC)
  return()
endif()
add_test(NAME vscode_extension COMMAND ${CMAKE_SOURCE_DIR}/tests/editors/vscode/run)
set_tests_properties(vscode_extension PROPERTIES LABELS "editor;vscode" TIMEOUT 1800 RUN_SERIAL TRUE)
