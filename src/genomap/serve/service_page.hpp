// The web page served at "/": a search box, a variant's frequencies as a table and as pies on the map. Its
// code lives in web/src/service.js (sharing the report's map); web/build.mjs bundles it with everything
// inlined into a generated source that defines this function, so the binary carries the page.
#pragma once
#include <string>

namespace genomap::serve {

const std::string& service_page();

}  // namespace genomap::serve
