import type { Latency } from './measure.js';
import type { Bound, Results } from './results.js';
import { clusterFigures } from './cluster.js';

/** One row of the final table: a figure, how it reads, its target and whether it meets it. */
export interface Figure {
  key: string;
  label: string;
  value: number | null;
  shown: string;
  target: string | null;
  meets: boolean | null;
}

const kilo = (n: number) => (n >= 1000 ? `${+(n / 1000).toFixed(1)}k` : `${+n.toFixed(1)}`);
const ms = (n: number) => `${Math.round(n)} ms`;
const perS = (n: number) => `${kilo(n)}/s`;
const pct = (share: number) => (Number.isNaN(share) ? '–' : `${Math.round(share * 100)}%`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const atLeast = (bound: Bound) => (bound === 'atLeast' ? '≥ ' : '');

function latencyShown(latency: Latency): string {
  const lower = latency.unseen > 0 ? '≥ ' : '';
  return `${lower}${ms(latency.p99)} (p50 ${ms(latency.p50)}, max ${ms(latency.max)})`;
}

export function buildFigures(results: Results): Figure[] {
  const { plan } = results;
  const [, mid, large] = plan.viewers;
  const figures: Figure[] = [];
  const add = (figure: Figure) => figures.push(figure);
  const fanout = (viewers: number) => results.fanout.find((f) => f.viewers === viewers);
  const ceiling = (viewers: number) => results.ceiling.find((c) => c.viewers === viewers);
  const naive = (viewers: number) => results.naive.find((n) => n.viewers === viewers);
  const onLivePath = (key: string) => key.startsWith('fanout.') || key.startsWith('ceiling.') || key.startsWith('app.');
  const inHall = (key: string) => key.startsWith('conference.') || key.startsWith('app.') || key === 'page.live';
  const onlyFlag = plan.fanoutOnly ? '--fanout-only' : plan.conferenceOnly ? '--conference-only' : plan.clusterOnly ? '--cluster-only' : null;
  const kept = (key: string) => (plan.fanoutOnly ? onLivePath(key) : plan.conferenceOnly ? inHall(key) : plan.clusterOnly ? key.startsWith('cluster.') : true);
  const skippedBy = (key: string) => (onlyFlag && !kept(key) ? onlyFlag : null);
  const missing = (key: string, label: string, target: string | null) => {
    const flag = skippedBy(key);
    return flag
      ? add({ key, label, value: null, shown: `skipped (${flag})`, target, meets: null })
      : add({ key, label, value: null, shown: 'not measured', target, meets: target ? false : null });
  };

  const p99Targets = new Map([
    [mid, 150],
    [large, 300],
  ]);
  for (const viewers of plan.viewers) {
    const f = fanout(viewers);
    const limit = p99Targets.get(viewers);
    const key = `fanout.${viewers}.p99`;
    const comments = plan.commentRate > 0 ? ` + ${kilo(plan.commentRate)} comments/s` : '';
    const label = `vote → every viewer p99, ${kilo(viewers)} viewers + ${kilo(plan.voteRate)} votes/s${comments}`;
    const target = limit ? `≤ ${limit} ms` : null;
    if (!f) {
      missing(key, label, target);
      continue;
    }
    add({ key, label, value: f.latency.p99, shown: latencyShown(f.latency), target, meets: limit ? f.latency.p99 <= limit && f.latency.unseen === 0 : null });
    const c = ceiling(viewers);
    add({
      key: `fanout.${viewers}.delivered`,
      label: `  delivered tally messages/s (bare ws, same job; bare ws flat out)`,
      value: f.deliveredPerS,
      shown: `${perS(f.deliveredPerS)} (${c ? `${perS(c.deliveredPerS)}; ${perS(c.limitPerS)}` : '–'})`,
      target: null,
      meets: null,
    });
    if (c) {
      add({ key: `ceiling.${viewers}.spread`, label: '  bare ws, same job: frame → every viewer', value: c.spread.p99, shown: latencyShown(c.spread), target: null, meets: null });
      add({ key: `ceiling.${viewers}.cpu`, label: '  bare ws, same job: server core busy', value: c.coreBusy, shown: pct(c.coreBusy), target: null, meets: null });
    }
    add({ key: `fanout.${viewers}.ack`, label: '  vote → its ack (command + group commit)', value: f.ack.p99, shown: latencyShown(f.ack), target: null, meets: null });
    add({
      key: `fanout.${viewers}.accepted`,
      label: `  accepted votes/s (sent)`,
      value: f.acceptedPerS,
      shown: `${perS(f.acceptedPerS)} (${perS(f.sentPerS)})`,
      target: null,
      meets: null,
    });
    const flow = f.comments;
    if (flow) {
      const refused = Object.entries(flow.failures).map(([code, n]) => `${n} ${code}`);
      add({
        key: `fanout.${viewers}.comments`,
        label: `  accepted comments/s (sent${refused.length ? '; failed' : ''})`,
        value: flow.acceptedPerS,
        shown: `${perS(flow.acceptedPerS)} (${perS(flow.sentPerS)}${refused.length ? `; ${refused.join(', ')}` : ''})`,
        target: null,
        meets: null,
      });
      add({ key: `fanout.${viewers}.commentAck`, label: '  comment → its ack', value: flow.ack.p99, shown: latencyShown(flow.ack), target: null, meets: null });
      add({
        key: `fanout.${viewers}.commentReach`,
        label: "  comment → its count on the cards (first tally frame)",
        value: flow.reach.p99,
        shown: `${latencyShown(flow.reach)}, ${flow.reach.samples} comments`,
        target: null,
        meets: null,
      });
    }
    // Without pinning there is no one server core to read: the app's own processes stand in.
    const serverBusy = Number.isNaN(f.serverCpu.core) ? f.serverCpu.app + (f.serverCpu.database || 0) : f.serverCpu.core;
    add({
      key: `fanout.${viewers}.cpu`,
      label: '  server core busy (app, FerretDB, softirq)',
      value: serverBusy,
      shown: `${pct(f.serverCpu.core)} (${pct(f.serverCpu.app)}, ${pct(f.serverCpu.database)}, ${pct(f.serverCpu.softirq)})`,
      target: null,
      meets: null,
    });
    // The box's own speed varies from run to run; this shows whether a run's ratio moved with it.
    const coreUs = (busy: number, messagesPerS: number) => (busy * 1e6) / messagesPerS;
    const oursUs = coreUs(serverBusy, f.deliveredPerS);
    add({
      key: `fanout.${viewers}.coreUs`,
      label: '  server core µs per delivered message, votes included (bare ws)',
      value: oursUs,
      shown: `${oursUs.toFixed(1)} µs (${c ? `${coreUs(c.coreBusy, c.deliveredPerS).toFixed(1)} µs` : '–'})`,
      target: null,
      meets: null,
    });
    add({
      key: `fanout.${viewers}.loadCpu`,
      label: '  load core busy (viewers, participants)',
      value: f.serverCpu.load,
      shown: pct(f.serverCpu.load),
      target: null,
      meets: null,
    });
    add({ key: `fanout.${viewers}.errors`, label: `  errors (failed votes${comments ? ' or comments' : ''}, unseen tallies${comments ? ' or comments' : ''}, lost viewers)`, value: f.errors, shown: String(f.errors), target: '0', meets: f.errors === 0 });
  }

  {
    const f = fanout(large);
    const c = ceiling(large);
    const key = 'ceiling.ratio';
    const label = `delivered messages/s ÷ bare-ws ceiling, ${kilo(large)} viewers`;
    if (f && c) {
      const ratio = f.deliveredPerS / c.deliveredPerS;
      add({
        key,
        label,
        value: ratio,
        shown: `${ratio.toFixed(2)} (${perS(f.deliveredPerS)} ÷ ${perS(c.deliveredPerS)}; box limit ${perS(c.limitPerS)})`,
        target: '≥ 0.8',
        meets: ratio >= 0.8,
      });
    } else missing(key, label, '≥ 0.8');
  }

  for (const viewers of plan.viewers) {
    const n = naive(viewers);
    const ours = results.oursRamps.find((r) => r.viewers === viewers);
    const key = `naive.${viewers}.ratio`;
    const label = `votes/s held at flat latency ÷ naive per-vote broadcast, ${kilo(viewers)} viewers`;
    const target = viewers === large ? '≥ 100×' : null;
    if (!ours || !n || n.held === 0) {
      missing(key, label, target);
      continue;
    }
    const ratio = ours.held / n.held;
    // A lower bound on ours over an exact naive figure is a lower bound, and the reverse an upper one.
    const prefix = ours.bound === 'atLeast' && n.bound === 'exact' ? '≥ ' : n.bound === 'atLeast' && ours.bound === 'exact' ? '≤ ' : '';
    const oursShown = ours.held ? `${atLeast(ours.bound)}${perS(ours.held)} at p99 ≤ ${ms(ours.limitMs)}` : `ours: not even ${perS(plan.voteRate)} at p99 ≤ 1 s`;
    add({
      key,
      label,
      value: ratio,
      shown: `${prefix}${Math.round(ratio)}× (${oursShown} ÷ ${atLeast(n.bound)}${perS(n.held)})`,
      target,
      meets: target ? ratio >= 100 : null,
    });
  }

  {
    const h = results.conference;
    const c = plan.conference;
    const where = `${kilo(c.phones)} phones + projector, ${kilo(c.boardViewers)} board viewers, ${kilo(c.voteRate)} votes/s`;
    const controlLabel = `control → every screen p99, ${where}`;
    if (!h) {
      missing('conference.control', controlLabel, '≤ 200 ms');
      missing('conference.vote.projector', '  vote → projector p99', null);
      missing('conference.errors', '  errors (failed controls or votes, unseen states or counts, lost screens)', '0');
    } else {
      add({
        key: 'conference.control',
        label: controlLabel,
        value: h.everyScreen.p99,
        shown: `${latencyShown(h.everyScreen)}, ${h.everyScreen.samples} controls`,
        target: '≤ 200 ms',
        meets: h.everyScreen.p99 <= 200 && h.everyScreen.unseen === 0,
      });
      add({ key: 'conference.control.projector', label: '  control → projector', value: h.projector.control.p99, shown: latencyShown(h.projector.control), target: null, meets: null });
      add({ key: 'conference.control.ack', label: "  control → facilitator's ack (stored)", value: h.controls.ack.p99, shown: latencyShown(h.controls.ack), target: null, meets: null });
      add({ key: 'conference.vote.projector', label: '  vote → projector p99', value: h.projector.vote.p99, shown: latencyShown(h.projector.vote), target: null, meets: null });
      add({ key: 'conference.vote.phones', label: `  vote → every phone p99 (${kilo(h.connected.phones)})`, value: h.phoneScreens.vote.p99, shown: latencyShown(h.phoneScreens.vote), target: null, meets: null });
      // The room's votes are the session's own: the board viewers of its area never see them.
      const seenOnBoard = h.votes.accepted - h.boardVote.unseen;
      add({ key: 'conference.vote.board', label: `  room votes seen by the area's board viewers (${kilo(h.connected.boardViewers)})`, value: seenOnBoard, shown: String(seenOnBoard), target: '0', meets: seenOnBoard === 0 });
      add({ key: 'conference.ack', label: '  vote → its ack', value: h.ack.p99, shown: latencyShown(h.ack), target: null, meets: null });
      add({
        key: 'conference.votes',
        label: '  accepted votes/s (sent; refused while paused)',
        value: h.votes.acceptedPerS,
        shown: `${perS(h.votes.acceptedPerS)} (${perS(h.votes.sentPerS)}; ${h.votes.refusedWhilePaused} refused)`,
        target: null,
        meets: null,
      });
      const busy = Number.isNaN(h.serverCpu.core) ? h.serverCpu.app + (h.serverCpu.database || 0) : h.serverCpu.core;
      add({
        key: 'conference.cpu',
        label: '  server core busy (app, FerretDB, softirq; load core)',
        value: busy,
        shown: `${pct(h.serverCpu.core)} (${pct(h.serverCpu.app)}, ${pct(h.serverCpu.database)}, ${pct(h.serverCpu.softirq)}; ${pct(h.serverCpu.load)})`,
        target: null,
        meets: null,
      });
      add({
        key: 'conference.errors',
        label: '  errors (failed controls or votes, unseen states or counts, lost screens)',
        value: h.errors,
        shown: String(h.errors),
        target: '0',
        meets: h.errors === 0,
      });
    }
  }

  const d = results.durability;
  if (d) {
    add({
      key: 'durability.ratio',
      label: 'group commit ÷ one insert per vote (stored votes/s)',
      value: d.ratio,
      shown: `${d.ratio.toFixed(1)}× (${perS(d.groupCommit.storedPerS)} ÷ ${perS(d.perVote.storedPerS)})`,
      target: '≥ 10×',
      meets: d.ratio >= 10,
    });
    const drift = d.groupCommit.drift + d.perVote.drift;
    add({
      key: 'durability.drift',
      label: `  stored − acknowledged votes (${d.groupCommit.votes} + ${d.perVote.votes} direct)`,
      value: drift,
      shown: `${d.groupCommit.drift} + ${d.perVote.drift}`,
      target: '0',
      meets: drift === 0 && d.groupCommit.failed + d.perVote.failed === 0,
    });
  } else {
    missing('durability.ratio', 'group commit ÷ one insert per vote (stored votes/s)', '≥ 10×');
    missing('durability.drift', '  stored − acknowledged votes (direct)', '0');
  }

  const drift = results.appDrift;
  if (drift) {
    add({
      key: 'app.drift',
      label: '  stored − acknowledged votes (the app, whole run)',
      value: drift.drift,
      shown: `${drift.drift} (${drift.stored} stored, ${drift.acknowledged} acknowledged)`,
      target: '0',
      meets: drift.drift === 0,
    });
  } else missing('app.drift', '  stored − acknowledged votes (the app, whole run)', '0');

  const m = results.memory;
  const memoryLabel = `app RSS per idle viewer, ${kilo(plan.viewers[2])} viewers`;
  if (m) {
    add({
      key: 'memory.perViewer',
      label: memoryLabel,
      value: m.perViewerBytes,
      shown: `${kb(m.perViewerBytes)} (${(m.baselineRssBytes / 2 ** 20).toFixed(0)} → ${(m.rssBytes / 2 ** 20).toFixed(0)} MB)`,
      target: '≤ 20 KB',
      meets: m.perViewerBytes <= 20 * 1024,
    });
  } else missing('memory.perViewer', memoryLabel, '≤ 20 KB');

  for (const [key, path] of [
    ['page.area', `/areas/police`],
    ['page.screen', '/screen'],
  ] as const) {
    const page = results.pages.find((p) => p.path === path);
    const label = `first load of ${path}, gzip`;
    if (page) add({ key, label, value: page.bytes, shown: `${kb(page.bytes)} (${page.files.length} files)`, target: '≤ 100 KB', meets: page.bytes <= 100 * 1024 });
    else missing(key, label, '≤ 100 KB');
  }

  {
    const key = 'page.live';
    const label = 'first load of /live/<code> (the phone page), gzip';
    const page = results.pages.find((p) => p.path.startsWith('/live/'));
    const absent = results.pagesMissing.find((path) => path.startsWith('/live/'));
    if (page) add({ key, label, value: page.bytes, shown: `${kb(page.bytes)} (${page.files.length} files)`, target: '≤ 60 KB', meets: page.bytes <= 60 * 1024 });
    else if (absent) add({ key, label, value: null, shown: 'missing: not in this build (404)', target: '≤ 60 KB', meets: null });
    else missing(key, label, '≤ 60 KB');
  }
  // The quick run leaves the cluster to `--cluster-only --quick`, a test of its own.
  if (plan.mode === 'full' || plan.clusterOnly) for (const figure of clusterFigures(results.cluster, plan.cluster, missing)) add(figure);
  return figures;
}

export function printTable(results: Results, figures: Figure[]): void {
  const rows = figures.map((f) => [f.label, f.shown, f.target ?? '', f.meets === null ? '' : f.meets ? 'yes' : 'NO']);
  const header = ['Figure', 'Value', 'Target', 'Meets'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const { machine, plan } = results;
  const pinned = machine.serverCpus ? `server on CPU ${machine.serverCpus}, load on CPU ${machine.loadCpus}` : 'not pinned (one CPU or no taskset)';
  process.stdout.write(`\n${plan.mode === 'quick' ? 'Quick bench (small numbers: the targets are for the full run)' : 'Bench'}: ${machine.cpus} × ${machine.model}, Node ${machine.node}, ${pinned}\n\n`);
  process.stdout.write(out.join('\n') + '\n');
  if (results.problems.length) process.stdout.write(`\nProblems:\n${results.problems.map((p) => `  - ${p}`).join('\n')}\n`);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Latency (log scale) against viewers: ours at the fan-out rate, the naive server at a hundredth of it. */
export function chartSvg(results: Results): string {
  const width = 760;
  const height = 440;
  const m = { left: 70, right: 200, top: 50, bottom: 50 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const { plan } = results;

  const naiveRate = plan.voteRate / 100;
  const series = [
    { name: `ours p99 @ ${kilo(plan.voteRate)} votes/s`, color: '#1f6feb', dash: '', points: results.fanout.map((f) => ({ x: f.viewers, y: f.latency.p99, lower: f.latency.unseen > 0 })) },
    { name: `ours p50 @ ${kilo(plan.voteRate)} votes/s`, color: '#1f6feb', dash: '6 4', points: results.fanout.map((f) => ({ x: f.viewers, y: f.latency.p50, lower: f.latency.unseen > 0 })) },
    ...(['p99', 'p50'] as const).map((p) => ({
      name: `naive ${p} @ ${kilo(naiveRate)} votes/s`,
      color: '#d9480f',
      dash: p === 'p50' ? '6 4' : '',
      points: results.naive.flatMap((n) => {
        const step = n.steps.find((s) => s.rate === naiveRate);
        return step ? [{ x: n.viewers, y: step.latency[p], lower: step.latency.unseen > 0 }] : [];
      }),
    })),
  ];
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(10, ...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(1_000, ...ys)));
  const xMax = Math.max(...plan.viewers);
  const x = (v: number) => m.left + (v / xMax) * plotW;
  const y = (v: number) => m.top + plotH - ((Math.log10(Math.max(v, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;

  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${m.left}" y="28" font-size="16" font-weight="600">Vote → every viewer latency (${results.startedAt.slice(0, 10)}, ${plan.mode})</text>`);
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    for (const k of [1, 2, 5]) {
      const v = decade * k;
      if (v > yMax) break;
      parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${m.left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
    }
  }
  for (const v of plan.viewers) {
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${m.top}" y2="${m.top + plotH}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x(v)}" y="${m.top + plotH + 18}" font-size="11" text-anchor="middle">${kilo(v)}</text>`);
  }
  parts.push(`<text x="${m.left + plotW / 2}" y="${height - 12}" font-size="12" text-anchor="middle">viewers watching one board</text>`);
  parts.push(`<text transform="translate(16 ${m.top + plotH / 2}) rotate(-90)" font-size="12" text-anchor="middle">vote → every viewer (log scale)</text>`);
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (const [viewers, limit] of [
    [plan.viewers[1], 150],
    [plan.viewers[2], 300],
  ] as const) {
    parts.push(`<line x1="${x(viewers) - 14}" x2="${x(viewers) + 14}" y1="${y(limit)}" y2="${y(limit)}" stroke="#2b8a3e" stroke-width="3"/>`);
  }
  series.forEach((s, i) => {
    const path = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`);
    for (const p of s.points) {
      parts.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${p.lower ? '#fff' : s.color}" stroke="${s.color}" stroke-width="2"/>`);
    }
    const ly = m.top + 10 + i * 22;
    const lx = m.left + plotW + 16;
    parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`);
    parts.push(`<text x="${lx + 32}" y="${ly + 4}" font-size="11">${escape(s.name)}</text>`);
  });
  const notesY = m.top + 10 + series.length * 22 + 10;
  const lx = m.left + plotW + 16;
  parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${notesY}" y2="${notesY}" stroke="#2b8a3e" stroke-width="3"/>`);
  parts.push(`<text x="${lx + 32}" y="${notesY + 4}" font-size="11">p99 target</text>`);
  parts.push(`<circle cx="${lx + 13}" cy="${notesY + 22}" r="4" fill="#fff" stroke="#555" stroke-width="2"/>`);
  parts.push(`<text x="${lx + 32}" y="${notesY + 26}" font-size="11">lower bound (unseen)</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}
