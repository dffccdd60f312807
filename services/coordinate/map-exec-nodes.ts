/**
 * Bottom-up rewriting of a stage's operator tree (the coordinator's edits before a stage
 * runs, such as a runtime filter added to its scan), and the walk that finds nodes.
 *
 * Contract: `mapExecNodes(root, fn)` calls `fn` on every node after its inputs were mapped and
 * returns the new tree (unchanged nodes are the same objects); `execNodes(root)` lists every
 * node, inputs before the node.
 */
import type { ExecNode } from '../../warehouse/fragment/stage-plan.js';

const INPUTS = ['input', 'left', 'right', 'marks'] as const;

export function mapExecNodes(node: ExecNode, fn: (n: ExecNode) => ExecNode): ExecNode {
  let copy: ExecNode | null = null;
  const n = node as unknown as Record<string, unknown>;
  for (const key of INPUTS) {
    const child = n[key] as ExecNode | undefined;
    if (child === undefined) continue;
    const mapped = mapExecNodes(child, fn);
    if (mapped !== child) {
      copy ??= { ...node };
      (copy as unknown as Record<string, unknown>)[key] = mapped;
    }
  }
  return fn(copy ?? node);
}

export function execNodes(node: ExecNode): ExecNode[] {
  const out: ExecNode[] = [];
  mapExecNodes(node, (n) => {
    out.push(n);
    return n;
  });
  return out;
}
