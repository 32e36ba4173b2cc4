import { type BucketStats, formatAge, formatBytes } from '@deltaglider/sdk';
import { historyChart } from './history-chart.js';
import { describeTarget, type TargetView } from './stats-refresher.js';

/** Deltaspaces drawn in a target's chart: the ones that save most. */
const CHART_BARS = 20;

/**
 * The exporter's page at `/`: per target its totals and savings, their age and source, the last
 * refresh, a whole bucket's daily history as a line chart, a bar chart of what each deltaspace saves (inline SVG: nothing from a CDN, works
 * offline), and the per-deltaspace table with health grades. No endpoint, no credentials.
 */
export function statusPage(views: readonly TargetView[], version: string): string {
  const sections = views.length
    ? views.map(targetSection).join('\n')
    : '<p>No buckets watched: start with --bucket.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>DeltaGlider savings</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2330; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { padding: .25rem .7rem; border-bottom: 1px solid #dde1e8; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.totals td:first-child { color: #56607a; }
.meta { color: #56607a; }
.fail { color: #b3261e; }
.critical { background: #fde7e6; border: 2px solid #b3261e; color: #8c1d18; padding: .5rem 1rem; margin: .8rem 0; max-width: 60rem; }
.critical ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.grade-excellent { color: #1b7f3b; } .grade-good { color: #4d7f1b; }
.grade-fair { color: #9a6b00; } .grade-poor { color: #b3261e; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
</style>
</head>
<body>
<h1>DeltaGlider savings</h1>
<p class="meta">deltaglider ${escapeHtml(version)} · this page reloads every 30 s · <a href="metrics">metrics</a></p>
${sections}
</body>
</html>
`;
}

function targetSection(view: TargetView): string {
  const title = escapeHtml(describeTarget(view.target));
  const { stats } = view;
  const refresh = view.lastRefresh;
  const refreshLine = refresh
    ? refresh.ok
      ? `last refresh worked ${escapeHtml(refresh.at)}, took ${refresh.durationSeconds.toFixed(1)} s`
      : `<span class="fail">last refresh failed ${escapeHtml(refresh.at)}: ${escapeHtml(refresh.error ?? '')}</span>`
    : 'first refresh running';
  const age =
    view.ageSeconds === undefined
      ? ''
      : `numbers from ${view.source === 'refresh' ? 'the last refresh' : "the bucket's cache"}, computed ${formatAge(view.ageSeconds)}`;
  const meta = `<p class="meta">${[age, refreshLine, view.refreshing ? 'refreshing now' : '']
    .filter(Boolean)
    .join(' · ')}</p>`;
  if (!stats)
    return `<section data-target="${title}"><h2>${title}</h2>${meta}<p>No numbers yet.</p></section>`;
  return `<section data-target="${title}">
<h2>${title}</h2>
${meta}
${criticalBanner(stats)}
${totalsTable(stats)}
${historyChart(view.history)}
${savingsChart(stats)}
${deltaspaceTable(stats)}
</section>`;
}

/**
 * What the documented alerts call critical, in red above the numbers: deltas whose reference
 * is gone (they cannot be rebuilt) and references no delta uses (billed for nothing).
 */
function criticalBanner(stats: BucketStats): string {
  const problems: string[] = [];
  if (stats.unrecoverableDeltas > 0) {
    const where = stats.unrecoverableDeltaspaces.map((space) => space.deltaspace || '(top level)');
    problems.push(
      `${stats.unrecoverableDeltas} unrecoverable delta(s), ${formatBytes(stats.unrecoverableDeltaBytes)}: their reference.bin is gone, so they cannot be rebuilt (in ${where.join(', ')})`,
    );
  }
  if (stats.orphanedReferences.length > 0) {
    const keys = stats.orphanedReferences.map((reference) => reference.key);
    problems.push(
      `${keys.length} orphaned reference(s), ${formatBytes(stats.orphanedReferenceBytes)} billed for no delta: ${keys.join(', ')}`,
    );
  }
  if (problems.length === 0) return '';
  return `<div class="critical" role="alert"><strong>Critical</strong><ul>${problems
    .map((problem) => `<li>${escapeHtml(problem)}</li>`)
    .join('')}</ul></div>`;
}

function totalsTable(stats: BucketStats): string {
  const rows: [string, string][] = [
    [
      'Objects',
      `${stats.objectCount} (${stats.deltaObjects} delta, ${stats.directObjects} direct)`,
    ],
    ['Original', formatBytes(stats.totalSize)],
    ['Stored', formatBytes(stats.compressedSize)],
    ['Saved', `${formatBytes(stats.spaceSaved)} (${percent(stats.averageCompressionRatio)})`],
    [
      'Health',
      `${stats.deltaspaceHealth.excellent} excellent, ${stats.deltaspaceHealth.good} good, ${stats.deltaspaceHealth.fair} fair, ${stats.deltaspaceHealth.poor} poor, ${stats.deltaspaceHealth.noReference} no reference`,
    ],
  ];
  return `<table class="totals">${rows
    .map(
      ([name, value]) =>
        `<tr><td>${name}</td><td data-field="${name.toLowerCase()}">${escapeHtml(value)}</td></tr>`,
    )
    .join('')}</table>`;
}

function savingsChart(stats: BucketStats): string {
  const bars = [...(stats.deltaspaces ?? [])]
    .sort((a, b) => b.spaceSaved - a.spaceSaved)
    .slice(0, CHART_BARS);
  if (bars.length === 0) return '';
  const most = Math.max(1, ...bars.map((bar) => bar.spaceSaved));
  const rowHeight = 22;
  const labelWidth = 220;
  const barWidth = 420;
  const height = bars.length * rowHeight + 8;
  const rows = bars
    .map((bar, index) => {
      const y = index * rowHeight + 4;
      const width = Math.max(1, Math.round((bar.spaceSaved / most) * barWidth));
      const name = escapeHtml(bar.deltaspace || '(top level)');
      return `<text x="0" y="${y + 15}">${name}</text><rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 8}" fill="#3b6fd8"><title>${name}: ${escapeHtml(formatBytes(bar.spaceSaved))} saved</title></rect><text x="${labelWidth + width + 6}" y="${y + 15}">${escapeHtml(formatBytes(bar.spaceSaved))}</text>`;
    })
    .join('');
  return `<figure><svg class="savings-chart" role="img" aria-label="Bytes saved per deltaspace" width="${labelWidth + barWidth + 110}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 110} ${height}">${rows}</svg><figcaption class="meta">Saved per deltaspace${bars.length === CHART_BARS ? ` (the ${CHART_BARS} that save most)` : ''}</figcaption></figure>`;
}

function deltaspaceTable(stats: BucketStats): string {
  const spaces = [...(stats.deltaspaces ?? [])].sort((a, b) => b.spaceSaved - a.spaceSaved);
  if (spaces.length === 0) return '';
  const rows = spaces
    .map(
      (space) =>
        `<tr><td>${escapeHtml(space.deltaspace || '(top level)')}</td><td>${space.deltaObjects}</td><td>${escapeHtml(formatBytes(space.referenceSize))}</td><td>${escapeHtml(formatBytes(space.originalSize))}</td><td>${escapeHtml(formatBytes(space.storedSize))}</td><td>${escapeHtml(formatBytes(space.spaceSaved))}</td><td>${percent(space.compressionRatio)}</td><td class="grade-${space.health ?? 'none'}">${space.health ?? 'no reference'}</td></tr>`,
    )
    .join('\n');
  return `<table class="deltaspaces"><thead><tr><th>Deltaspace</th><th>Deltas</th><th>Reference</th><th>Original</th><th>Stored</th><th>Saved</th><th>Ratio</th><th>Health</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
