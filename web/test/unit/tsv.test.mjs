import test from 'node:test';
import assert from 'node:assert/strict';
import { columnsToTsv, rowsToTsv, formatCell } from '../../src/lib/tsv.js';

test('columns become a header and one line per row; missing numbers are NA', () => {
  const text = columnsToTsv([
    { name: 'IID', values: ['NA1', 'x\ty'] },
    { name: 'PC1', values: [0.125, null] },
    { name: 'projected', values: [false, true] },
  ]);
  assert.equal(text, 'IID\tPC1\tprojected\nNA1\t0.125\tFALSE\nx y\tNA\tTRUE\n');
});

test('rows and cells', () => {
  assert.equal(rowsToTsv(['a', 'b'], [[1, NaN], ['z', 'w\nv']]), 'a\tb\n1\tNA\nz\tw v\n');
  assert.equal(formatCell(1e-300), '1e-300');
  assert.throws(() => columnsToTsv([{ name: 'a', values: [1] }, { name: 'b', values: [] }]), /column b/);
});
