# Release packaging: `cmake --install` and `cpack` (a .deb and a .tar.gz). Included from
# CMakeLists.txt; kept in its own file so other install() rules (e.g. the remediation guides
# as documentation) merge beside it. The binary embeds the rubric, so it runs from any folder;
# the installed data under share/mlaudit/rubric is for reading and for `--rubric DIR` edits; the
# remediation guides go to share/mlaudit/remediation, where the remediation links of an installed
# binary point (cli/remediation_location.cpp).
#
#   <prefix>/bin/mlaudit
#   <prefix>/share/mlaudit/rubric/{rules.yaml,items.yaml,template/}
#   <prefix>/share/mlaudit/remediation/{<rule>.md,items/<item>.md}
#   <prefix>/share/mlaudit/editors/nvim/           (the Neovim plugin, for runtimepath)
#   <prefix>/share/doc/mlaudit/{README.md,audit-json.md}
include(GNUInstallDirs)

install(TARGETS mlaudit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT mlaudit)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rubric/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mlaudit/rubric COMPONENT mlaudit
        FILES_MATCHING PATTERN "*.yaml" PATTERN "*.md"
        PATTERN "rules" EXCLUDE     # rubric/rules/ holds C++ sources only
        PATTERN "fixes" EXCLUDE     # and rubric/fixes/
        PATTERN "remediation" EXCLUDE)  # installed below, once
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rubric/remediation/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mlaudit/remediation
        COMPONENT mlaudit FILES_MATCHING PATTERN "*.md")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/editors/nvim/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mlaudit/editors/nvim
        COMPONENT mlaudit)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/audit-json.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT mlaudit)

set(CPACK_PACKAGE_NAME mlaudit)
set(CPACK_PACKAGE_VENDOR "mlaudit")
set(CPACK_PACKAGE_CONTACT "mlaudit maintainers")  # no list address exists yet
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Audits ML and LLM repositories against the AI/ML Infrastructure Audit checklist (LSP server and CLI)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/node_modules/;/\\.git/")
# The .deb: dependencies from the shared libraries the binary links (yaml-cpp, spdlog, RE2,
# tree-sitter, ...), computed by dpkg-shlibdeps; the tarball needs the same libraries installed.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
include(CPack)
