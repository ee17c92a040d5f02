import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Ends what a test run started even when the run itself dies (Ctrl-C, a CI time-out, SIGKILL).
 * Exit and signal handlers cannot do it under Jest: a test's `process` is a copy whose handlers
 * the real process never calls. So a small detached process holds the other end of a pipe; when
 * the pipe closes, as it does however we end, it stops every process group it was told of, then
 * removes every folder it was told of.
 */

// Plain JavaScript for `node -e`: one JSON message a line, on standard input.
const REAPER = `
const { rmSync } = require('node:fs');
const groups = new Map();
const folders = new Set();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
	const lines = (pending + chunk).split('\\n');
	pending = lines.pop();
	for (const line of lines) {
		const message = JSON.parse(line);
		if (message.group && message.signal) groups.set(message.group, message.signal);
		if (message.group && !message.signal) groups.delete(message.group);
		if (message.folder) folders.add(message.folder);
	}
});
const signal = (group, name) => {
	try {
		process.kill(-group, name);
	} catch {}
};
process.stdin.on('end', () => {
	for (const [group, name] of groups) signal(group, name);
	setTimeout(() => {
		for (const group of groups.keys()) signal(group, 'SIGKILL');
		for (const folder of folders) rmSync(folder, { recursive: true, force: true });
	}, groups.size ? 3000 : 0);
});
`;

let reaper: ChildProcess | undefined;

function tell(message: object): void {
	if (!reaper) {
		reaper = spawn(process.execPath, ['-e', REAPER], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
		});
		// Neither the reaper nor its pipe may keep the test run alive.
		reaper.unref();
		(reaper.stdin as Socket).unref();
	}
	reaper.stdin!.write(`${JSON.stringify(message)}\n`);
}

/**
 * Has the process group led by `child` (spawned detached) sent `signal`, then SIGKILL 3 s later,
 * if this run dies first. Answers a function that takes that back once the group has stopped.
 */
export function stopIfRunDies(child: ChildProcess, signal: NodeJS.Signals): () => void {
	const group = child.pid!;
	tell({ group, signal });
	return () => tell({ group });
}

/** Has `folder` removed if this run dies before it does so itself. */
export function removeIfRunDies(folder: string): void {
	tell({ folder });
}
