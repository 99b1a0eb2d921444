import { readFileSync } from 'node:fs';

/**
 * Whether a process with this PID exists and is not a zombie (Linux `/proc`). A killed
 * grandchild may linger as a zombie where PID 1 does not reap, which counts as gone here.
 */
export function isProcessRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  // Field 3 follows the command name in parentheses, which may itself hold spaces or ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
