// dap_logpoints.js — W7's driver: one DAP session that puts a logpoint
// (logMessage, no stop) on the hot line of bench/workloads/w1.c's tick() and
// runs the program to its end, as an editor would.
//
//   node bench/dap_logpoints.js SOURCE PROGRAM N ADAPTER [ADAPTER ARGS...]
//
// Prints "counter=N" (the program's own last line, forwarded as an output
// event) and "hits=K", K the logpoint lines received; exits 0 only when the
// session ran to its end.  bench/run.sh times it with N and with N = 0, so
// Node's and the adapter's start-up cancel.
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');

const [source, program, n, ...adapter] = process.argv.slice(2);
if (!adapter.length) {
	process.stderr.write('usage: node dap_logpoints.js SOURCE PROGRAM N ADAPTER [ARGS...]\n');
	process.exit(2);
}
const line = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => /counter = counter \+ 1/.test(l)) + 1;
const child = cp.spawn(adapter[0], adapter.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
let seq = 1;
const waiting = new Map();
function send(command, args) {
	const body = JSON.stringify({ seq: seq, type: 'request', command, arguments: args || {} });
	child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
	return new Promise((resolve, reject) => waiting.set(seq++, (r) => (r.success ? resolve(r) : reject(new Error(`${command}: ${r.message}`)))));
}
let hits = 0;
let programOut = '';
let onEvent = () => {};
let buf = Buffer.alloc(0);
child.stdout.on('data', (d) => {
	buf = Buffer.concat([buf, d]);
	for (;;) {
		const h = buf.indexOf('\r\n\r\n');
		if (h < 0) return;
		const len = Number(/Content-Length: *(\d+)/i.exec(buf.slice(0, h).toString())[1]);
		if (buf.length < h + 4 + len) return;
		const m = JSON.parse(buf.slice(h + 4, h + 4 + len).toString());
		buf = buf.slice(h + 4 + len);
		if (m.type === 'response') {
			const w = waiting.get(m.request_seq);
			waiting.delete(m.request_seq);
			if (w) w(m);
		} else if (m.type === 'event') {
			if (m.event === 'output') {
				if (m.body.category === 'stdout') programOut += m.body.output;
				else hits += (m.body.output.match(/^logpoint /gm) || []).length;
			}
			onEvent(m);
		}
	}
});

async function main() {
	const initialized = new Promise((resolve) => { onEvent = (e) => { if (e.event === 'initialized') resolve(); }; });
	await send('initialize', { adapterID: 'bench', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
	await send('launch', { program, args: [n], stopOnEntry: false });
	await initialized;
	const r = await send('setBreakpoints', { source: { path: source }, breakpoints: [{ line, logMessage: 'logpoint {counter}' }] });
	if (!r.body.breakpoints[0].verified) throw new Error(`the logpoint is not verified: ${r.body.breakpoints[0].message}`);
	const ended = new Promise((resolve, reject) => {
		onEvent = (e) => {
			if (e.event === 'terminated') resolve();
			if (e.event === 'stopped') reject(new Error(`the program stopped (${e.body.reason})`));
		};
	});
	await send('configurationDone', {});
	await ended;
	await send('disconnect', { terminateDebuggee: true }).catch(() => {});
	child.stdin.end();
	process.stdout.write(programOut.replace(/\r/g, ''));
	process.stdout.write(`hits=${hits}\n`);
}
main().then(() => process.exit(0), (e) => {
	process.stderr.write(`dap_logpoints: ${e.message}\n`);
	child.kill('SIGKILL');
	process.exit(1);
});
