// The web page served at "/": a search box, a variant's frequencies as a table and as pies on the map.
#pragma once
#include <string>

namespace genomap::serve {

// A self-contained page (inline script and style, no network besides this server's own API).
const std::string& fallback_service_page();

}  // namespace genomap::serve
