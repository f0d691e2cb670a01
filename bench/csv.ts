/**
 * CSV parsing benchmark (`npm run bench:csv`): the 10,000 MNIST test digits
 * written as Kaggle's mnist_test.csv (header, label then 784 pixels per row,
 * about 18 MB), parsed by `parseCsvDataset` five times, against the idx parser
 * on the same digits as a baseline in the same process.
 *
 *   node --import tsx bench/csv.ts
 */
import { parseCsvDataset } from '../src/core/data/csv.ts';
import { encodeIdxImages, encodeIdxLabels, parseIdxDataset } from '../src/core/data/idx.ts';
import { loadMnist } from '../src/core/data/node.ts';

const mnist = await loadMnist('test');
const lines = ['label,' + Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')];
for (let i = 0; i < mnist.count; i++) {
  lines.push(`${mnist.labels[i]},${mnist.pixels.subarray(i * 784, (i + 1) * 784).join(',')}`);
}
const csv = new TextEncoder().encode(`${lines.join('\n')}\n`);
const images = encodeIdxImages(mnist, mnist.count);
const labels = encodeIdxLabels(mnist.labels, mnist.count);

function median(f: () => void, rounds = 5): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

const csvMs = median(() => parseCsvDataset(csv, { name: 'mnist_test.csv' }));
const idxMs = median(() => parseIdxDataset(images, labels));
console.log(`CSV ${(csv.length / 1e6).toFixed(1)} MB: ${csvMs.toFixed(0)} ms (median of 5)`);
console.log(`idx ${(images.length / 1e6).toFixed(1)} MB: ${idxMs.toFixed(1)} ms (median of 5)`);
console.log(`CSV / idx: ${(csvMs / idxMs).toFixed(0)}×`);
