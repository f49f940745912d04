import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// data/pop_coords/pop_coords.tsv places every population of the bundled real datasets.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const lines = readFileSync(join(root, 'data/pop_coords/pop_coords.tsv'), 'utf8').trimEnd().split('\n');
const rows = lines.slice(1).map((l) => l.split('\t'));
const place = new Map(rows.map(([pop, lat, lon]) => [pop, { lat: Number(lat), lon: Number(lon) }]));

test('the table is POP LAT LON SOURCE with unique names and coordinates in range', () => {
  assert.equal(lines[0], 'POP\tLAT\tLON\tSOURCE');
  for (const row of rows) {
    assert.equal(row.length, 4, row.join('|'));
    const [pop, lat, lon, source] = row;
    assert.ok(Math.abs(Number(lat)) <= 90 && Math.abs(Number(lon)) <= 180, pop);
    assert.ok(source.length > 10, `${pop} cites a source`);
  }
  assert.equal(place.size, rows.length);
});

test('every HapMap3, 1000 Genomes and HGDP population of tests/data is placed', () => {
  const hapmap = readFileSync(join(root, 'tests/data/hapmap3_admixture/hapmap3_populations.tsv'), 'utf8')
    .trimEnd().split('\n').slice(1).map((l) => l.split('\t')[2]);
  const panel7 = readFileSync(join(root, 'tests/data/human_origins_panel7/panel7.pops'), 'utf8')
    .trimEnd().split('\n').map((l) => l.trim().split(/\s+/)[1]);
  const phase1 = readFileSync(join(root, 'tests/data/1kg_phase1_chr22_vcf/1kg_phase1_chr22_191.populations.tsv'), 'utf8')
    .trimEnd().split('\n').slice(1).map((l) => l.split('\t')[1]);
  const nonHuman = new Set(['Chimp', 'Gorilla', 'Orang', 'Macaque', 'Marmoset', 'Href']);
  const thousandGenomes = ['ACB', 'ASW', 'ESN', 'GWD', 'LWK', 'MSL', 'YRI', 'CLM', 'MXL', 'PEL', 'PUR', 'CDX', 'CHB', 'CHS',
    'JPT', 'KHV', 'CEU', 'FIN', 'GBR', 'IBS', 'TSI', 'BEB', 'GIH', 'ITU', 'PJL', 'STU'];
  const hapmapAll = ['ASW', 'CEU', 'CHB', 'CHD', 'GIH', 'JPT', 'LWK', 'MEX', 'MKK', 'TSI', 'YRI'];
  for (const pop of [...new Set(hapmap), ...new Set(phase1), ...panel7.filter((p) => !nonHuman.has(p)), ...thousandGenomes, ...hapmapAll]) {
    assert.ok(place.has(pop), `no coordinates for ${pop}`);
  }
  // Spot checks against the published places: Ibadan (YRI), Webuye (LWK), Salt Lake City (CEU).
  assert.deepEqual(place.get('YRI'), { lat: 7.38, lon: 3.95 });
  assert.deepEqual(place.get('LWK'), { lat: 0.61, lon: 34.77 });
  assert.deepEqual(place.get('CEU'), { lat: 40.76, lon: -111.89 });
});
