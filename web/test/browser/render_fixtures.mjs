// Writes the reports the browser test loads, with the library's own writer (the render_report test tool,
// path in $GENOMAP_RENDER_REPORT): DIR/example.html from test/fixtures/report-data.example.json (HapMap3),
// and DIR/large.html from a generated 50,000-sample document (DIR/large.json). Usage: node render_fixtures.mjs DIR
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeReportData } from './large_fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
const tool = process.env.GENOMAP_RENDER_REPORT;
if (!dir || !tool) {
  console.error('usage: GENOMAP_RENDER_REPORT=render_report node render_fixtures.mjs DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
execFileSync(tool, [join(here, '../fixtures/report-data.example.json'), join(dir, 'example.html')], { stdio: 'inherit' });
writeFileSync(join(dir, 'large.json'), JSON.stringify(largeReportData(50000)));
execFileSync(tool, [join(dir, 'large.json'), join(dir, 'large.html')], { stdio: 'inherit' });
for (const name of ['example.html', 'large.html']) {
  console.log(`${name}: ${(statSync(join(dir, name)).size / 1e6).toFixed(2)} MB`);
}
