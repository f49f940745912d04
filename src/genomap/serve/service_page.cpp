#include "genomap/serve/service_page.hpp"

namespace genomap::serve {

// Used when the build has no bundled page from web/: the same search and table, drawn without the map.
const std::string& fallback_service_page() {
  static const std::string page = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>genomap allele frequencies</title>
<style>body{font:15px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}
#error{color:#a00}</style></head><body>
<h1>Allele frequencies by population</h1>
<form id="search"><input id="query" size="40" placeholder="rs123, 1:752566 or 1:752566:G:A" aria-label="variant">
<button type="submit">Search</button></form><p id="release"></p><p id="error"></p><div id="result"></div>
<script>
"use strict";
const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
fetch("/v1/release").then(r => r.json()).then(r => {
  document.getElementById("release").textContent =
    `Release ${r.version}: ${r.variants} variants, ${r.samples_counted} samples; counts are multiples of ${r.min_count}.`;
});
document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = document.getElementById("query").value.trim();
  const out = document.getElementById("result"), err = document.getElementById("error");
  out.replaceChildren(); err.textContent = "";
  if (!q) return;
  const r = await fetch("/v1/variant/" + encodeURIComponent(q));
  const body = await r.json();
  if (!r.ok) { err.textContent = body.error || ("error " + r.status); return; }
  for (const v of body.variants) {
    out.append(el("h2", `${v.id} (${v.chrom}:${v.pos} ${v.ref}>${v.alt})`));
    const table = el("table"), head = el("tr");
    for (const h of ["population", "ALT frequency"]) head.append(el("th", h));
    table.append(head);
    for (const f of v.frequencies) {
      const row = el("tr");
      row.append(el("td", f.population), el("td", f.allele_frequency === null ? "n/a" : String(f.allele_frequency)));
      table.append(row);
    }
    out.append(table);
  }
});
</script></body></html>
)html";
  return page;
}

}  // namespace genomap::serve
