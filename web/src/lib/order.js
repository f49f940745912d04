// Order of samples in the ancestry bar plots. Populations come in the order given (the pop file's order);
// samples whose population is not in that list come last as one "unassigned" group. Within a population,
// individuals are sorted by their membership in that population's dominant cluster at the highest K
// (the cluster with the largest mean membership in it), largest first: the rule of pong (Behr et al. 2016).

export const UNASSIGNED = 'unassigned';

// samplePops: population label per sample (null/'' for none); populationOrder: names in display order;
// q: columns (one array per cluster, one value per sample) at the highest K, or null.
// Returns { order: sample indices, groups: [{ pop, start, end }] } with end exclusive.
export function orderSamples(samplePops, populationOrder, q) {
  const rank = new Map(populationOrder.map((name, i) => [name, i]));
  const members = populationOrder.map(() => []);
  const unassigned = [];
  samplePops.forEach((pop, sample) => {
    const r = pop === null || pop === undefined ? undefined : rank.get(pop);
    if (r === undefined) unassigned.push(sample);
    else members[r].push(sample);
  });
  const order = [];
  const groups = [];
  const place = (pop, samples) => {
    if (samples.length === 0) return;
    const sorted = q && q.length ? sortByDominantCluster(samples, q) : samples.slice();
    groups.push({ pop, start: order.length, end: order.length + sorted.length });
    order.push(...sorted);
  };
  populationOrder.forEach((pop, r) => place(pop, members[r]));
  place(UNASSIGNED, unassigned);
  return { order, groups };
}

export function dominantCluster(samples, q) {
  let best = 0;
  let bestMean = -Infinity;
  q.forEach((column, cluster) => {
    let sum = 0;
    for (const s of samples) sum += column[s] ?? 0;
    const mean = sum / samples.length;
    if (mean > bestMean) {
      bestMean = mean;
      best = cluster;
    }
  });
  return best;
}

function sortByDominantCluster(samples, q) {
  const column = q[dominantCluster(samples, q)];
  // Ties keep the input order (Array.prototype.sort is stable).
  return samples.slice().sort((a, b) => (column[b] ?? 0) - (column[a] ?? 0));
}

// Mean ancestry per population: { pop: [mean of cluster 0, ...] } for the samples of each population.
export function meanAncestry(samplePops, q) {
  const sums = new Map();
  samplePops.forEach((pop, s) => {
    if (pop === null || pop === undefined) return;
    let entry = sums.get(pop);
    if (!entry) {
      entry = { n: 0, sum: new Array(q.length).fill(0) };
      sums.set(pop, entry);
    }
    entry.n++;
    q.forEach((column, j) => {
      entry.sum[j] += column[s] ?? 0;
    });
  });
  const out = new Map();
  for (const [pop, { n, sum }] of sums) out.set(pop, sum.map((v) => v / n));
  return out;
}
