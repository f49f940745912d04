// Two fixed palettes. Ancestry clusters take their colour from the pipeline's `colour` index, so the same
// ancestry has the same colour at every K; populations (PCA, legends) use a separate set so the two are not
// confused. Both are colour-blind-aware sets (after Okabe & Ito and Tableau 20), repeated when exhausted.

export const ANCESTRY_COLOURS = [
  '#4E79A7', '#F28E2B', '#59A14F', '#E15759', '#B07AA1', '#EDC948', '#76B7B2', '#FF9DA7', '#9C755F',
  '#BAB0AC', '#1F4E79', '#A0522D', '#2E8B57', '#8B1A1A', '#5B3F8C', '#B8860B',
];

export const POPULATION_COLOURS = [
  '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b2df8a',
  '#fb9a99', '#cab2d6', '#6a3d9a', '#ff7f00', '#33a02c', '#a6cee3', '#fdbf6f', '#b15928', '#8dd3c7',
  '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#bc80bd', '#ccebc5', '#ffed6f',
];

export function ancestryColour(index) {
  const i = Number.isInteger(index) && index >= 0 ? index : 0;
  return ANCESTRY_COLOURS[i % ANCESTRY_COLOURS.length];
}

export function populationColour(rank) {
  if (rank < 0) return '#9a9a9a';
  return POPULATION_COLOURS[rank % POPULATION_COLOURS.length];
}
