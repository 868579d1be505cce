// The chaos run as a picture: records produced, runs started and closed, and the consumer group's lag
// over time, each fault a marked band with its name. One self-contained SVG file, no scripts or fonts
// to fetch, so it shows in a README, a browser or a CI artefact.
import type { FiredFault } from './fault-kinds';
import type { Sample } from './sampler';

const W = 1000;
const H = 460;
const M = { left: 60, right: 20, top: 40, bottom: 120 };
const SERIES = [
  { key: 'produced', label: 'records produced', color: '#6b7280' },
  { key: 'started', label: 'runs started', color: '#2563eb' },
  { key: 'closed', label: 'runs closed', color: '#16a34a' },
  { key: 'lag', label: 'consumer lag', color: '#dc2626' },
] as const;
const FAULT_COLORS = ['#f59e0b', '#8b5cf6', '#0ea5e9', '#ef4444', '#10b981', '#ec4899', '#64748b', '#a16207'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timelineSvg(samples: readonly Sample[], faults: readonly FiredFault[], title: string): string {
  const t0 = samples[0]?.tMs ?? 0;
  const t1 = Math.max(t0 + 1, samples.at(-1)?.tMs ?? 1);
  const yMax = Math.max(1, ...samples.flatMap((s) => [s.produced, s.started, s.closed, s.lag]));
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const colorOf = (kind: string) => FAULT_COLORS[kinds.indexOf(kind as FiredFault['kind']) % FAULT_COLORS.length];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const f of faults) {
    const fx = x(f.startedAtMs);
    const fw = Math.max(2, x(f.endedAtMs) - fx);
    parts.push(`<rect x="${fx.toFixed(1)}" y="${M.top}" width="${fw.toFixed(1)}" height="${H - M.top - M.bottom}" fill="${colorOf(f.kind)}" opacity="0.18"><title>${esc(`${f.kind}: ${f.evidence}`)}</title></rect>`);
    parts.push(`<line x1="${fx.toFixed(1)}" x2="${fx.toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="${colorOf(f.kind)}" stroke-width="2"/>`);
    parts.push(`<text x="${(fx + 3).toFixed(1)}" y="${M.top + 12}" fill="${colorOf(f.kind)}" font-size="10" transform="rotate(90 ${(fx + 3).toFixed(1)} ${M.top + 12})">${esc(f.kind)}${f.fired ? '' : ' (did not fire)'}</text>`);
  }
  // Axes with a few ticks.
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#111"/>`, `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#111"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = Math.round((yMax * i) / 4);
    parts.push(`<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`, `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
    const t = t0 + ((t1 - t0) * i) / 4;
    parts.push(`<text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${Math.round((t - t0) / 1000)} s</text>`);
  }
  for (const s of SERIES) {
    const points = samples.map((p) => `${x(p.tMs).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
  }
  SERIES.forEach((s, i) => {
    const lx = M.left + i * 180;
    parts.push(`<rect x="${lx}" y="${H - 80}" width="14" height="4" fill="${s.color}"/>`, `<text x="${lx + 20}" y="${H - 75}">${s.label}</text>`);
  });
  kinds.forEach((k, i) => {
    const lx = M.left + (i % 4) * 230;
    const ly = H - 50 + Math.floor(i / 4) * 18;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="10" fill="${colorOf(k)}" opacity="0.5"/>`, `<text x="${lx + 20}" y="${ly}">${esc(k)} x${faults.filter((f) => f.kind === k).length}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
