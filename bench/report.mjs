// The tables of `npm run bench`: one per round, and the summary over rounds.
// Ratios are taken within a round (both numbers saw the same machine load);
// the summary gives, per run, the median over rounds of each number.

/** The runs every ratio is taken against, and their columns. */
export const references = [
  { id: 'tfjs-1', column: '× TF.js 1t' },
  { id: 'latentlab-chromium-1', column: '× LatentLab Chromium 1t' },
  { id: 'pytorch', column: '× PyTorch 1t' },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fixed = (value, digits) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));
const megabytes = (bytes) => (bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(0));

/** Each run's samples/s over each reference's, in one round (undefined if either failed). */
function ratios(round) {
  const speed = (id) => round.get(id)?.samplesPerSecond;
  const over = (id, reference) =>
    speed(id) !== undefined && speed(reference) !== undefined ? speed(id) / speed(reference) : undefined;
  return (id) => references.map((reference) => over(id, reference.id));
}

function table(header, rows) {
  const lines = [header, header.map(() => '---'), ...rows];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const header = [
  'run',
  'threads',
  'samples/s',
  ...references.map((reference) => reference.column),
  'test MSE',
  'heap MiB',
  'wall s',
  'notes',
];

/** The table of one round: `round` maps a run's id to its result or { error }. */
export function roundTable(runs, round) {
  const ratio = ratios(round);
  return table(
    header,
    runs.map((run) => {
      const r = round.get(run.id);
      const blank = references.map(() => '');
      if (!r || r.error) return [run.label, '', 'FAILED', ...blank, '', '', '', r?.error ?? 'not run'];
      return [
        run.label,
        String(r.threads),
        fixed(r.samplesPerSecond, 0),
        ...ratio(run.id).map((value) => fixed(value, 2)),
        fixed(r.testMSE, 5),
        megabytes(r.heapBytes),
        fixed(r.wallSeconds, 1),
        r.notes ?? '',
      ];
    }),
  );
}

/** The summary: per run, medians over the rounds it completed (and the range of samples/s). */
export function summaryTable(runs, rounds) {
  return table(
    [
      'run',
      'threads',
      'samples/s (median)',
      'min–max',
      ...references.map((reference) => reference.column),
      'test MSE',
      'heap MiB (max)',
      'rounds ok',
    ],
    runs.map((run) => {
      const results = rounds.map((round) => round.get(run.id)).filter((r) => r && !r.error);
      const blank = references.map(() => '');
      if (results.length === 0) return [run.label, '', 'FAILED', '', ...blank, '', '', `0/${rounds.length}`];
      const perRound = rounds
        .filter((round) => !round.get(run.id)?.error)
        .map((round) => ratios(round)(run.id));
      const medianOf = (values) => {
        const defined = values.filter((v) => v !== undefined);
        return defined.length ? median(defined) : undefined;
      };
      const speeds = results.map((r) => r.samplesPerSecond);
      const heaps = results.map((r) => r.heapBytes).filter((v) => v !== undefined);
      return [
        run.label,
        [...new Set(results.map((r) => r.threads))].join('/'),
        fixed(median(speeds), 0),
        `${fixed(Math.min(...speeds), 0)}–${fixed(Math.max(...speeds), 0)}`,
        ...references.map((_, k) => fixed(medianOf(perRound.map((r) => r[k])), 2)),
        fixed(median(results.map((r) => r.testMSE)), 5),
        heaps.length ? megabytes(Math.max(...heaps)) : '—',
        `${results.length}/${rounds.length}`,
      ];
    }),
  );
}
