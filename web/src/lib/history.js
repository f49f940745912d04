// Pure logic of the History section's dates and IBD sharing (docs/report-data.md, `dates` and `ibd`).

// Years per generation for the conversion shown beside a date (Fenner 2005, Am J Phys Anthropol 128:415: about
// 29 years for the mean of male and female generation intervals).
export const YEARS_PER_GENERATION = 29;

// What a dated target says: the date in generations and years with their SEs, and whether the decay supports
// it (amplitude |Z| >= 3 and a rate inside the searched range).
export function datingSummary(t, yearsPerGeneration = YEARS_PER_GENERATION) {
  const generations = Number.isFinite(t?.generations) ? t.generations : null;
  const se = Number.isFinite(t?.se) ? t.se : null;
  const z = Number.isFinite(t?.amplitude_z) ? t.amplitude_z : null;
  const supported = generations !== null && z !== null && Math.abs(z) >= 3 && !t.rate_at_bound;
  let reason = null;
  if (generations === null) reason = 'the fit gave no date';
  else if (t.rate_at_bound) reason = 'the fitted rate is at the edge of the searched range (no decay resolved)';
  else if (z === null || Math.abs(z) < 3) reason = `the decay is not significant (amplitude Z ${z === null ? 'NA' : z.toFixed(1)})`;
  return {
    generations, se, z, supported, reason,
    years: generations === null ? null : generations * yearsPerGeneration,
    yearsSe: se === null ? null : se * yearsPerGeneration,
  };
}

// The length bins of the document as labels: [2, 4, 6, 10] -> ['2–4 cM', '4–6 cM', '6–10 cM', '≥ 10 cM'].
export function binLabels(edges) {
  return edges.map((lo, i) => (i + 1 < edges.length ? `${lo}–${edges[i + 1]} cM` : `≥ ${lo} cM`));
}

// The mean per pair of one bin (an index) or of all bins together (bin = 'all'), of `segments` or `cm`;
// null when the pair of populations has no pair of samples.
export function sharingValue(row, bin, metric = 'cm') {
  const values = row?.[metric];
  if (!Array.isArray(values) || !(row.pairs > 0)) return null;
  if (bin === 'all') {
    const finite = values.filter(Number.isFinite);
    return finite.length ? finite.reduce((a, v) => a + v, 0) : null;
  }
  return Number.isFinite(values[bin]) ? values[bin] : null;
}

// The sharing as a square matrix over `order` (population names; those absent from ibd.pops are dropped):
// values[i][j] = values[j][i] = the mean per pair, null where the table has no value.
export function sharingMatrix(ibd, bin, metric = 'cm', order = null) {
  const known = new Set(ibd?.pops ?? []);
  const pops = (order ?? ibd?.pops ?? []).filter((p) => known.has(p));
  const index = new Map(pops.map((p, i) => [p, i]));
  const values = pops.map(() => pops.map(() => null));
  for (const row of ibd?.sharing ?? []) {
    const a = index.get(row.pop1);
    const b = index.get(row.pop2);
    if (a === undefined || b === undefined) continue;
    values[a][b] = values[b][a] = sharingValue(row, bin, metric);
  }
  return { pops, values };
}

// The strongest links between different populations that both have a place: pairs of populations ordered by
// the mean total length of IBD shared per pair of samples (all bins, or one), largest first, those sharing
// nothing left out; at most `max`. Ties keep the table's order.
export function strongestLinks(ibd, placedNames, { max = 10, bin = 'all' } = {}) {
  const placed = new Set(placedNames);
  return (ibd?.sharing ?? [])
    .filter((row) => row.pop1 !== row.pop2 && placed.has(row.pop1) && placed.has(row.pop2))
    .map((row) => ({ a: row.pop1, b: row.pop2, cm: sharingValue(row, bin, 'cm'), segments: sharingValue(row, bin, 'segments'), pairs: row.pairs }))
    .filter((link) => Number.isFinite(link.cm) && link.cm > 0)
    .sort((x, y) => y.cm - x.cm)
    .slice(0, max);
}
