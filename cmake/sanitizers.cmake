# Instrumented builds (issue 7). MLAUDIT_SANITIZE: every target of the project (library, binary,
# tests) with AddressSanitizer + UndefinedBehaviorSanitizer, any report fatal. MLAUDIT_FUZZ: also
# coverage instrumentation for libFuzzer and the targets under fuzz/. One clang build directory
# with both serves `make test-asan` and `make fuzz`, so CI builds the code once more, not twice.
option(MLAUDIT_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(MLAUDIT_FUZZ "Build the libFuzzer targets under fuzz/ (clang only; implies MLAUDIT_SANITIZE)" OFF)

if(MLAUDIT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MLAUDIT_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14")
  endif()
  set(MLAUDIT_SANITIZE ON)
endif()

if(MLAUDIT_SANITIZE)
  # -fno-sanitize-recover: UBSan aborts at the first report instead of printing and going on,
  # so a test that triggers it fails. Frame pointers for readable stacks.
  # -O1: the usual sanitizer trade-off (fast enough to run, quick to build); assertions on,
  # including libstdc++'s bounds checks, because a fuzz or asan run is where they should fire.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1
                      -D_GLIBCXX_ASSERTIONS)
  add_link_options(-fsanitize=address,undefined)
endif()

if(MLAUDIT_FUZZ)
  # Coverage feedback for libFuzzer in all project code; only the fuzz targets link the fuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
