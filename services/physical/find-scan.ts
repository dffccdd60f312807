/**
 * The scan_exec of a stage's operator tree that reads the stage's scan units (a stage has at
 * most one; a scan with `every` reads its own), or null.
 */
import type { ExecNode } from '../../warehouse/fragment/stage-plan.js';
import { execNodes } from '../coordinate/map-exec-nodes.js';

export function findScan(root: ExecNode): Extract<ExecNode, { kind: 'scan_exec' }> | null {
  return execNodes(root).find((n): n is Extract<ExecNode, { kind: 'scan_exec' }> => n.kind === 'scan_exec' && n.every === undefined) ?? null;
}
