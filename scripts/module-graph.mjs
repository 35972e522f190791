// Reads dependency-cruiser's JSON (collapsed to src/<module>) on stdin and prints the module graph as
// a Mermaid flowchart, the one docs/architecture.md shows (`npm run deps:graph`). An arrow that a
// longer path already implies is left out (transitive reduction), so the picture stays readable;
// `--all` prints every direct dependency; `--check FILE` fails if FILE's mermaid block differs.
import { readFileSync } from 'node:fs';

const result = JSON.parse(readFileSync(0, 'utf8'));
const moduleOf = (path) => /^src\/([^/.]+)(\/|$)/.exec(path)?.[1];
const graph = new Map();
for (const source of result.modules) {
  const from = moduleOf(source.source);
  if (!from) continue;
  if (!graph.has(from)) graph.set(from, new Set());
  for (const dependency of source.dependencies) {
    const to = moduleOf(dependency.resolved);
    if (to && to !== from) graph.get(from).add(to);
  }
}

/** Whether `to` can be reached from `from` without using the direct arrow between them. */
function reachableOtherwise(from, to) {
  const seen = new Set();
  const stack = [...graph.get(from)].filter((next) => next !== to);
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(graph.get(node) ?? []));
  }
  return false;
}

const all = process.argv.includes('--all');
const id = (name) => name.replace(/-/g, '_');
const lines = [];
for (const from of [...graph.keys()].sort()) {
  for (const to of [...graph.get(from)].sort()) {
    if (all || !reachableOtherwise(from, to)) lines.push(`  ${id(from)}[${from}] --> ${id(to)}[${to}]`);
  }
}
const drawn = ['flowchart TD', ...lines].join('\n');
const checkAt = process.argv.indexOf('--check');
if (checkAt === -1) {
  console.log(drawn);
} else {
  const file = process.argv[checkAt + 1];
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(readFileSync(file, 'utf8'))?.[1];
  if (block !== drawn) {
    console.error(`${file}: the module graph is out of date; paste in the output of npm run deps:graph:\n${drawn}`);
    process.exit(1);
  }
  console.log(`${file}: the module graph matches the code`);
}
