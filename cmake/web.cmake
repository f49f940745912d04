# The report page: web/ (npm packages pinned in web/package-lock.json, installed by `npm ci`, which
# scripts/install-deps.sh and scripts/build.sh run) is bundled by web/build.mjs into one HTML template and a
# generated C++ source that embeds it; genomap_report compiles that source, so the binary carries the page.
find_program(GENOMAP_NODE node)
if(NOT GENOMAP_NODE)
  message(FATAL_ERROR "node is needed to bundle the report page (web/); run scripts/install-deps.sh")
endif()
set(GENOMAP_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
if(NOT EXISTS ${GENOMAP_WEB_DIR}/node_modules/d3/package.json)
  message(FATAL_ERROR "web/node_modules is missing: run `npm ci` in web/ (scripts/install-deps.sh does)")
endif()
file(GLOB_RECURSE GENOMAP_WEB_SOURCES CONFIGURE_DEPENDS ${GENOMAP_WEB_DIR}/src/*.js ${GENOMAP_WEB_DIR}/src/*.css)
set(GENOMAP_REPORT_TEMPLATE_HTML ${CMAKE_BINARY_DIR}/web/report_template.html)
set(GENOMAP_REPORT_TEMPLATE_CPP ${CMAKE_BINARY_DIR}/web/report_template.cpp)
add_custom_command(
  OUTPUT ${GENOMAP_REPORT_TEMPLATE_HTML} ${GENOMAP_REPORT_TEMPLATE_CPP}
  COMMAND ${GENOMAP_NODE} ${GENOMAP_WEB_DIR}/build.mjs
          --out-html ${GENOMAP_REPORT_TEMPLATE_HTML} --out-cpp ${GENOMAP_REPORT_TEMPLATE_CPP}
  DEPENDS ${GENOMAP_WEB_SOURCES} ${GENOMAP_WEB_DIR}/build.mjs ${GENOMAP_WEB_DIR}/package-lock.json
  WORKING_DIRECTORY ${GENOMAP_WEB_DIR}
  COMMENT "Bundling the report page (web/)"
  VERBATIM)

file(GLOB GENOMAP_REPORT_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/genomap/report/*.cpp)
add_library(genomap_report STATIC ${GENOMAP_REPORT_SOURCES} ${GENOMAP_REPORT_TEMPLATE_CPP})
set_target_properties(genomap_report PROPERTIES OUTPUT_NAME genomap_report)
target_include_directories(genomap_report PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_compile_options(genomap_report PRIVATE ${GENOMAP_WARNINGS})
target_link_libraries(genomap_report PUBLIC genomap_core nlohmann_json::nlohmann_json)
