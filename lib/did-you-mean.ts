// "Did you mean" for a mistyped name: the closest known name by edit distance, when it is close
// enough to be a typo (a third of the name's length at most), or the one name it begins. Written here, a few lines, because no
// dependency of ours exports one (commander keeps its suggester private).

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (best && best.distance <= Math.max(1, Math.floor(name.length / 3))) return best.name;
  // A cut-short name (`horizon` for `horizonHours`) is a typo too, when only one name begins with it.
  const longer = known.filter((k) => name.length >= 4 && k.toLowerCase().startsWith(name.toLowerCase()));
  return longer.length === 1 ? longer[0] : undefined;
}
