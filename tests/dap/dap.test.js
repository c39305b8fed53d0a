// dap.test.js — dr7's Debug Adapter Protocol suite, with Microsoft's
// @vscode/debugadapter-testsupport client, on tests/programs/dap_target.c.
//
//   node --test dap.test.js                    against build/dr7 --dap (DR7=path overrides)
//   DAP=lldb-dap-19 node --test dap.test.js    the same scenarios against another adapter
//
// Each test is one scenario a user meets in an editor, and talks to a fresh
// adapter.  Everything waits for events (a stop, an output line), never for
// time: the client's time limit only turns a hang into a failure.  Launch
// arguments and REPL command text are the only things that differ between
// adapters (DAP leaves both to the adapter), in PROFILES below.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const cp = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const top = path.resolve(__dirname, '../..');
const build = process.env.BUILD || 'build';
const program = path.resolve(top, build, 'programs/dap_target');
const source = path.join(top, 'tests/programs/dap_target.c');
const other = process.env.DAP || '';
// A hang becomes a failure after this long (ms); nothing is timed.  DAP_LIMIT_MS
// shortens it for a run against an adapter that leaves requests unanswered.
const LIMIT = Number(process.env.DAP_LIMIT_MS) || 120000;

// ---- what differs between adapters ----
const PROFILES = {
	dr7: {
		runtime: path.resolve(top, process.env.DR7 || path.join(build, 'dr7')),
		arg: '--dap',
		env: (o) => o,
		repl: { eval: '? 1+2', three: /00000003/, setBp: 'bp tick', clearBp: 'bc *', go: 'g' },
	},
	lldb: {
		runtime: '/usr/bin/env',
		arg: other,
		env: (o) => Object.entries(o).map(([k, v]) => `${k}=${v}`),
		repl: {
			eval: 'p 1+2', three: /3/, setBp: 'breakpoint set -n tick', clearBp: 'breakpoint delete -f',
			go: 'process continue',
		},
	},
};
const profile = other ? PROFILES.lldb : PROFILES.dr7;

// The line of a MARK:name comment in the program's source.
const sourceLines = fs.readFileSync(source, 'utf8').split('\n');
function mark(name) {
	const i = sourceLines.findIndex((l) => l.includes(`MARK:${name} `) || l.endsWith(`MARK:${name} */`));
	assert.ok(i >= 0, `no MARK:${name} in ${source}`);
	return i + 1;
}

// A number as an adapter shows it: "0n3" (dr7's ??), "3", "0x3".
function num(text) {
	const t = String(text).trim().split(/\s/)[0];
	if (/^0n-?\d+$/.test(t)) return Number(t.slice(2));
	if (/^-?0x[0-9a-f`]+$/i.test(t)) return Number(BigInt(t.replace(/`/g, '')));
	return Number(t);
}

// ---- a session: the client and every event it received, in order ----
class Session {
	constructor() {
		this.dc = new DebugClient(profile.runtime, profile.arg, 'dr7', { cwd: top }, !!process.env.DAP_STDERR);
		this.dc.defaultTimeout = LIMIT;
		this.events = [];
		this.cursor = {};
		this.waiters = [];
		const names = ['initialized', 'stopped', 'continued', 'thread', 'module', 'output', 'breakpoint',
			'exited', 'terminated', 'process'];
		for (const n of names) {
			this.dc.on(n, (e) => {
				this.events.push(e);
				for (const w of [...this.waiters]) w();
			});
		}
	}
	async start() {
		await this.dc.start();
		// After a disconnect the adapter may be gone: a late write must not fail the test.
		this.dc._adapterProcess.stdin.on('error', () => {});
		this.stderr = '';
		this.dc._adapterProcess.stderr.on('data', (d) => { this.stderr += d; });
		this.exited = new Promise((resolve) => this.dc._adapterProcess.on('exit', (code, sig) => resolve([code, sig])));
		this.caps = (await this.dc.initializeRequest()).body || {};
	}
	// The next event of a kind (after the last one taken) that satisfies pred;
	// pred sees each event once, in order.
	next(kind, pred = () => true) {
		return new Promise((resolve, reject) => {
			let i = this.cursor[kind] || 0;
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== look);
				reject(new Error(`no '${kind}' event came; got: ${this.events.map((e) => e.event).join(' ')}`));
			}, LIMIT);
			const look = () => {
				for (; i < this.events.length; i++) {
					const e = this.events[i];
					if (e.event === kind && pred(e)) {
						this.cursor[kind] = Math.max(this.cursor[kind] || 0, i + 1);
						clearTimeout(timer);
						this.waiters = this.waiters.filter((w) => w !== look);
						resolve(e);
						return;
					}
				}
			};
			this.waiters.push(look);
			look();
		});
	}
	// Program output until text (a RegExp) appears in category.
	output(category, re) {
		let seen = '';
		return this.next('output', (e) => {
			if (e.body.category !== category) return false;
			seen += e.body.output;
			return re.test(seen);
		});
	}
	launchArgs(args, extra = {}) {
		return { program, args, cwd: top, ...extra };
	}
	async launch(args, extra = {}) {
		const initialized = this.next('initialized');
		await this.dc.launchRequest(this.launchArgs(args, extra));
		await initialized;
	}
	async stopAt(kind = 'stopped') {
		const e = await this.next(kind);
		return e;
	}
	async top(threadId) {
		const st = await this.dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
		return st.body.stackFrames;
	}
	async locals(frameId) {
		const scopes = (await this.dc.scopesRequest({ frameId })).body.scopes;
		const loc = scopes.find((s) => /local/i.test(s.name));
		return (await this.dc.variablesRequest({ variablesReference: loc.variablesReference })).body.variables;
	}
	// Disconnects (unless the scenario did) and waits for the adapter to leave by
	// itself; a sanitizer's report or a crash on its way out fails the scenario.
	async end() {
		const proc = this.dc._adapterProcess;
		if (!this.exited)
			return; // never started
		if (proc && proc.exitCode === null && !this.disconnected)
			await Promise.race([this.dc.disconnectRequest({ terminateDebuggee: true }).catch(() => {}), this.exited]);
		if (other) {
			// DAP does not ask an adapter to leave on disconnect (lldb-dap waits for
			// the end of its input): the client ends it, as an editor does.
			this.dc.stopAdapter();
			return;
		}
		const [code, sig] = await this.exited;
		assert.doesNotMatch(this.stderr, /ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer/, 'a sanitizer report');
		assert.deepStrictEqual([code, sig], [0, null], `the adapter's exit; its stderr: ${this.stderr}`);
	}
	async disconnect(args) {
		this.disconnected = true;
		return this.dc.disconnectRequest(args);
	}
}

// Runs one scenario on a fresh adapter.  A request an adapter never answers
// fails the scenario after LIMIT instead of stalling the suite.
async function session(fn) {
	const s = new Session();
	let timer;
	const guard = new Promise((resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${LIMIT} ms (a request or an event never came)`)), LIMIT);
	});
	let failure = null;
	try {
		await Promise.race([s.start().then(() => fn(s)), guard]);
	} catch (e) {
		failure = e;
	}
	clearTimeout(timer);
	let ended;
	const cap = new Promise((resolve, reject) => {
		ended = setTimeout(() => reject(new Error('the adapter did not leave after disconnect')), other ? 5000 : LIMIT);
	});
	try {
		await Promise.race([s.end(), cap]);
	} catch (e) {
		failure = failure || e; // the scenario's own failure comes first
	} finally {
		clearTimeout(ended);
		s.dc.stopAdapter();
	}
	if (failure) throw failure;
}

const bps = (lines, extra = {}) => ({ source: { path: source }, breakpoints: lines.map((line) => ({ line, ...extra })) });

// ---- sessions ----

test('initialize reports capabilities; launch, stopOnEntry, program output, exit code', () => session(async (s) => {
	assert.ok(s.caps.supportsConfigurationDoneRequest);
	await s.launch(['loop', '2'], { stopOnEntry: true, env: profile.env({ DAP_TEST_ENV: 'from-editor' }) });
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	assert.strictEqual((await stop).body.reason, 'entry');
	const out = s.output('stdout', /env=from-editor/);
	const err = s.output('stderr', /err: to stderr/);
	const exited = s.next('exited');
	const term = s.next('terminated');
	await s.dc.continueRequest({ threadId: (await stop).body.threadId });
	const o = await out;
	assert.match(o.body.output, new RegExp(`cwd=${top}`));
	await err;
	assert.strictEqual((await exited).body.exitCode, 3);
	await term;
}));

test('launch cwd and env reach the program', () => session(async (s) => {
	await s.launch(['loop', '1'], { cwd: '/tmp', env: profile.env({ DAP_TEST_ENV: 'second' }) });
	const out = s.output('stdout', /cwd=\/tmp env=second/);
	await s.dc.configurationDoneRequest();
	await out;
	await s.next('terminated');
}));

test('launch of a missing program fails with a message; the session goes on', () => session(async (s) => {
	await assert.rejects(s.dc.launchRequest({ program: '/nonexistent/program' }), (e) => e.message.length > 0);
	const t = await s.dc.threadsRequest();
	assert.ok(Array.isArray(t.body.threads));
}));

test('source breakpoint: stopped with hitBreakpointIds, stack with source, line and instruction pointer', () => session(async (s) => {
	await s.launch(['loop', '3']);
	const r = await s.dc.setBreakpointsRequest(bps([mark('tick')]));
	const bp = r.body.breakpoints[0];
	assert.ok(bp.verified);
	assert.strictEqual(bp.line, mark('tick'));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	assert.strictEqual(e.body.reason, 'breakpoint');
	assert.deepStrictEqual(e.body.hitBreakpointIds, [bp.id]);
	const frames = await s.top(e.body.threadId);
	assert.strictEqual(frames[0].line, mark('tick'));
	assert.strictEqual(path.basename(frames[0].source.path), 'dap_target.c');
	assert.match(frames[0].instructionPointerReference, /^0x[0-9a-f]+$/);
	assert.strictEqual(frames[1].line, mark('call'));
	const threads = (await s.dc.threadsRequest()).body.threads;
	assert.ok(threads.some((t) => t.id === e.body.threadId));
}));

test('conditional breakpoint (condition) stops only where it holds', () => session(async (s) => {
	await s.launch(['loop', '6']);
	await s.dc.setBreakpointsRequest(bps([mark('tick')], { condition: 'i == 4' }));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	const vars = await s.locals((await s.top(e.body.threadId))[0].id);
	assert.strictEqual(num(vars.find((v) => v.name === 'i').value), 4);
}));

test('hitCondition: the third hit stops', () => session(async (s) => {
	await s.launch(['loop', '6']);
	await s.dc.setBreakpointsRequest(bps([mark('tick')], { hitCondition: '3' }));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	const vars = await s.locals((await s.top(e.body.threadId))[0].id);
	assert.strictEqual(num(vars.find((v) => v.name === 'i').value), 2);
}));

test('logpoint: logMessage with {expression} at each hit, no stop', () => session(async (s) => {
	await s.launch(['loop', '4']);
	await s.dc.setBreakpointsRequest(bps([mark('tick')], { logMessage: 'tick i={i} hits={hits}' }));
	let log = '';
	const done = s.next('output', (e) => {
		if (/tick i=/.test(e.body.output)) log += e.body.output;
		return (log.match(/tick i=/g) || []).length === 4;
	});
	const exited = s.next('exited');
	await s.dc.configurationDoneRequest();
	await done;
	const values = [...log.matchAll(/tick i=(\S+) hits=(\S+)/g)].map((m) => [num(m[1]), num(m[2])]);
	assert.deepStrictEqual(values, [[0, 0], [1, 0], [2, 1], [3, 3]]);
	assert.strictEqual((await exited).body.exitCode, 3);
	assert.ok(!s.events.some((ev) => ev.event === 'stopped'), 'a logpoint never stops');
}));

test('setBreakpoints replaces the set; an empty set clears it and the program runs to its end', () => session(async (s) => {
	await s.launch(['loop', '3']);
	await s.dc.setBreakpointsRequest(bps([mark('tick'), mark('call')]));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	const cleared = await s.dc.setBreakpointsRequest(bps([]));
	assert.strictEqual(cleared.body.breakpoints.length, 0);
	const exited = s.next('exited');
	await s.dc.continueRequest({ threadId: e.body.threadId });
	assert.strictEqual((await exited).body.exitCode, 3);
}));

test('function breakpoint (deferred name) stops at the function', () => session(async (s) => {
	await s.launch(['watch']);
	const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'watch_writes' }] });
	assert.ok(r.body.breakpoints[0].verified);
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	assert.match(e.body.reason, /breakpoint/);
	const frames = await s.top(e.body.threadId);
	assert.match(frames[0].name, /watch_writes/);
}));

test('instruction breakpoint at an address from the stack', () => session(async (s) => {
	await s.launch(['loop', '3']);
	await s.dc.setBreakpointsRequest(bps([mark('tick')]));
	const first = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await first;
	const frames = await s.top(e.body.threadId);
	const ret = frames[1].instructionPointerReference; // the return address in loop()
	await s.dc.setBreakpointsRequest(bps([]));
	const r = await s.dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: ret }] });
	assert.ok(r.body.breakpoints[0].verified);
	const second = s.next('stopped');
	await s.dc.continueRequest({ threadId: e.body.threadId });
	const e2 = await second;
	assert.match(e2.body.reason, /breakpoint/);
	const f2 = await s.top(e2.body.threadId);
	assert.strictEqual(BigInt(f2[0].instructionPointerReference), BigInt(ret));
}));

test('breakpointModes: a hardware breakpoint on a source line', () => session(async (s) => {
	const modes = (s.caps.breakpointModes || []).map((m) => m.mode);
	assert.ok(modes.includes('hardware') && modes.includes('software'), `modes: ${modes}`);
	await s.launch(['loop', '3']);
	const r = await s.dc.setBreakpointsRequest(bps([mark('tick')], { mode: 'hardware' }));
	assert.ok(r.body.breakpoints[0].verified);
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	assert.deepStrictEqual(e.body.hitBreakpointIds, [r.body.breakpoints[0].id]);
	const out = await s.dc.evaluateRequest({ expression: 'bl', context: 'repl' });
	assert.match(out.body.result, / e 1 /);
}));

test('breakpointLocations lists the lines of tick() that have code', () => session(async (s) => {
	await s.launch(['loop', '1']);
	const r = await s.dc.customRequest('breakpointLocations', { source: { path: source }, line: mark('tick') - 3, endLine: mark('tick') + 2 });
	const lines = r.body.breakpoints.map((b) => b.line);
	assert.ok(lines.includes(mark('tick')), `lines: ${lines}`);
	assert.ok(!lines.includes(mark('tick') - 3), 'the struct definition above has no code');
}));

test('exception breakpoints: a chosen signal stops with its description; unchosen it is delivered', async () => {
	await session(async (s) => {
		const filters = (s.caps.exceptionBreakpointFilters || []).map((f) => f.filter);
		assert.ok(filters.includes('SIGUSR1'), `filters: ${filters}`);
		await s.launch(['signal']);
		await s.dc.setExceptionBreakpointsRequest({ filters: ['SIGUSR1'] });
		const stop = s.next('stopped');
		await s.dc.configurationDoneRequest();
		const e = await stop;
		assert.strictEqual(e.body.reason, 'exception');
		assert.match(`${e.body.description} ${e.body.text}`, /SIGUSR1|User defined signal 1/);
		const out = s.output('stdout', /out: signal 10/);
		await s.dc.continueRequest({ threadId: e.body.threadId });
		await out;
	});
	await session(async (s) => {
		await s.launch(['signal']);
		await s.dc.setExceptionBreakpointsRequest({ filters: [] });
		const out = s.output('stdout', /out: signal 10/);
		const exited = s.next('exited');
		await s.dc.configurationDoneRequest();
		await out;
		assert.strictEqual((await exited).body.exitCode, 0);
	});
});

// ---- data breakpoints ----

async function stoppedIn(s, args, line) {
	await s.launch(args);
	await s.dc.setBreakpointsRequest(bps([line]));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	await s.dc.setBreakpointsRequest(bps([]));
	const frames = await s.top(e.body.threadId);
	return { tid: e.body.threadId, frameId: frames[0].id };
}

test('dataBreakpointInfo for a variable, an expression and an address; a write watch stops with reason data breakpoint', () => session(async (s) => {
	assert.ok(s.caps.supportsDataBreakpoints);
	const { tid, frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	// a variable: the Globals scope's "hits"
	const scopes = (await s.dc.scopesRequest({ frameId })).body.scopes;
	const globals = scopes.find((x) => /global/i.test(x.name));
	assert.ok(globals, `scopes: ${scopes.map((x) => x.name)}`);
	const byVar = await s.dc.dataBreakpointInfoRequest({ variablesReference: globals.variablesReference, name: 'hits' });
	assert.ok(byVar.body.dataId, byVar.body.description);
	assert.ok(byVar.body.accessTypes.includes('write'));
	// an expression in a frame
	const byExpr = await s.dc.dataBreakpointInfoRequest({ name: 'hits', frameId });
	assert.ok(byExpr.body.dataId, byExpr.body.description);
	// an address with a size
	const addr = (await s.dc.evaluateRequest({ expression: '&hits', frameId, context: 'watch' })).body.result;
	const hex = addr.match(/0x[0-9a-f`]+/i)[0].replace(/`/g, '');
	if (s.caps.supportsDataBreakpointBytes) {
		const byAddr = await s.dc.dataBreakpointInfoRequest({ name: hex, bytes: 4, asAddress: true });
		assert.ok(byAddr.body.dataId, byAddr.body.description);
	}
	const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: byVar.body.dataId, accessType: 'write' }] });
	assert.ok(set.body.breakpoints[0].verified, set.body.breakpoints[0].message);
	const stop = s.next('stopped');
	await s.dc.continueRequest({ threadId: tid });
	const e = await stop;
	assert.strictEqual(e.body.reason, 'data breakpoint');
	const frames = await s.top(e.body.threadId);
	assert.match(frames[0].name, /tick/);
}));

test('data breakpoints: six write watches at once (more than the four debug registers)', (t) => session(async (s) => {
		const { tid, frameId } = await stoppedIn(s, ['watch'], mark('w5') - 5);
		const ids = [];
		for (const name of ['w0', 'w1', 'w2', 'w3', 'w4', 'w5']) {
			const info = await s.dc.dataBreakpointInfoRequest({ name, frameId });
			ids.push(info.body.dataId);
		}
		const set = await s.dc.setDataBreakpointsRequest({ breakpoints: ids.map((dataId) => ({ dataId, accessType: 'write' })) });
		for (const b of set.body.breakpoints)
			assert.ok(b.verified, b.message);
		for (let i = 0; i < 6; i++) {
			const stop = s.next('stopped');
			await s.dc.continueRequest({ threadId: tid });
			const e = await stop;
			assert.strictEqual(e.body.reason, 'data breakpoint');
			assert.deepStrictEqual(e.body.hitBreakpointIds, [set.body.breakpoints[i].id]);
		}
}));

test('data breakpoints: a read-only watch (loads only, ba l)', (t) => session(async (s) => {
		const { tid, frameId } = await stoppedIn(s, ['watch'], mark('w5'));
		const info = await s.dc.dataBreakpointInfoRequest({ name: 'r0', frameId });
		assert.ok(info.body.accessTypes.includes('read'), `accessTypes ${info.body.accessTypes}`);
		const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: 'read' }] });
		assert.ok(set.body.breakpoints[0].verified, set.body.breakpoints[0].message);
		const stop = s.next('stopped');
		await s.dc.continueRequest({ threadId: tid });
		const e = await stop;
		assert.strictEqual(e.body.reason, 'data breakpoint');
		const frames = await s.top(e.body.threadId);
		assert.ok(frames[0].line >= mark('read'));
}));

// ---- state ----

test('scopes and variables: locals, globals, registers; structs, arrays and pointers expand', () => session(async (s) => {
	const { frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	const scopes = (await s.dc.scopesRequest({ frameId })).body.scopes.map((x) => x.name);
	assert.ok(scopes.some((n) => /local/i.test(n)) && scopes.some((n) => /global/i.test(n)) && scopes.some((n) => /regist/i.test(n)), `scopes: ${scopes}`);
	const locals = await s.locals(frameId);
	assert.ok(locals.some((v) => v.name === 'i'));
	const list = (await s.dc.evaluateRequest({ expression: 'list', frameId, context: 'watch' })).body;
	assert.ok(list.variablesReference > 0, 'a pointer expands');
	// A pointer's child is the object it points to (an adapter may show its fields at once).
	let fields = (await s.dc.variablesRequest({ variablesReference: list.variablesReference })).body.variables;
	if (fields.length === 1 && fields[0].variablesReference > 0)
		fields = (await s.dc.variablesRequest({ variablesReference: fields[0].variablesReference })).body.variables;
	assert.deepStrictEqual(fields.map((f) => f.name), ['id', 'name', 'pair', 'values', 'next']);
	const values = fields.find((f) => f.name === 'values');
	const elems = (await s.dc.variablesRequest({ variablesReference: values.variablesReference })).body.variables;
	assert.deepStrictEqual(elems.map((v) => num(v.value)), [10, 20, 30, 40]);
	const pair = fields.find((f) => f.name === 'pair');
	const halves = (await s.dc.variablesRequest({ variablesReference: pair.variablesReference })).body.variables;
	assert.deepStrictEqual(halves.map((v) => [v.name, num(v.value)]), [['left', 7], ['right', 8]]);
	const regs = (await s.dc.scopesRequest({ frameId })).body.scopes.find((x) => /regist/i.test(x.name));
	let rv = (await s.dc.variablesRequest({ variablesReference: regs.variablesReference })).body.variables;
	if (!rv.some((r) => r.name === 'rip') && rv.length && rv[0].variablesReference > 0) // grouped
		rv = (await s.dc.variablesRequest({ variablesReference: rv[0].variablesReference })).body.variables;
	assert.ok(rv.some((r) => r.name === 'rip'), 'rip is among the registers');
}));

test('setVariable, setExpression and evaluate (watch) change and read the program', () => session(async (s) => {
	const { tid, frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	const scopes = (await s.dc.scopesRequest({ frameId })).body.scopes;
	const loc = scopes.find((x) => /local/i.test(x.name));
	const set = await s.dc.setVariableRequest({ variablesReference: loc.variablesReference, name: 'i', value: '7' });
	assert.strictEqual(num(set.body.value), 7);
	await s.dc.customRequest('setExpression', { expression: 'hits', value: '100', frameId });
	const hits = await s.dc.evaluateRequest({ expression: 'hits', frameId, context: 'watch' });
	assert.strictEqual(num(hits.body.result), 100);
	const hover = await s.dc.evaluateRequest({ expression: 'list->next->id', frameId, context: 'hover' });
	assert.strictEqual(num(hover.body.result), 2);
	await assert.rejects(s.dc.evaluateRequest({ expression: 'no_such_name', frameId, context: 'watch' }));
	// the program saw the write: hits is 100 + 7 after the line runs
	const step = s.next('stopped');
	await s.dc.nextRequest({ threadId: tid });
	await step;
	const after = await s.dc.evaluateRequest({ expression: 'hits', frameId: (await s.top(tid))[0].id, context: 'watch' });
	assert.strictEqual(num(after.body.result), 107);
}));

test('evaluate in the REPL runs the adapter\'s commands; a breakpoint set there appears in the editor', () => session(async (s) => {
	const { tid } = await stoppedIn(s, ['loop', '3'], mark('call'));
	const r = await s.dc.evaluateRequest({ expression: profile.repl.eval, context: 'repl' });
	assert.match(r.body.result, profile.repl.three);
	const added = s.next('breakpoint', (e) => e.body.reason === 'new');
	await s.dc.evaluateRequest({ expression: profile.repl.setBp, context: 'repl' });
	const bp = (await added).body.breakpoint;
	const stop = s.next('stopped');
	await s.dc.continueRequest({ threadId: tid });
	const e = await stop;
	assert.deepStrictEqual(e.body.hitBreakpointIds, [bp.id]);
	const removed = s.next('breakpoint', (ev) => ev.body.reason === 'removed');
	await s.dc.evaluateRequest({ expression: profile.repl.clearBp, context: 'repl' });
	assert.strictEqual((await removed).body.breakpoint.id, bp.id);
	// a command that runs the program: continued, then the end
	const cont = s.next('continued');
	const exited = s.next('exited');
	await s.dc.evaluateRequest({ expression: profile.repl.go, context: 'repl' });
	await cont;
	assert.strictEqual((await exited).body.exitCode, 3);
}));

test('completions in the REPL', () => session(async (s) => {
	assert.ok(s.caps.supportsCompletionsRequest);
	await stoppedIn(s, ['loop', '1'], mark('tick'));
	const r = await s.dc.completionsRequest({ text: 'b', column: 2 });
	const labels = r.body.targets.map((t) => t.label);
	assert.ok(labels.length > 0);
	assert.ok(labels.every((l) => l.startsWith('b')), `labels: ${labels}`);
}));

// ---- code and memory ----

test('disassemble around the pc; readMemory shows the program\'s bytes under a breakpoint; writeMemory', () => session(async (s) => {
	const { tid, frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	await s.dc.setBreakpointsRequest(bps([mark('tick')])); // an int3 at the pc again
	const pc = (await s.top(tid))[0].instructionPointerReference;
	const d = await s.dc.disassembleRequest({ memoryReference: pc, instructionOffset: -2, instructionCount: 5, resolveSymbols: true });
	const insns = d.body.instructions;
	assert.strictEqual(insns.length, 5);
	assert.strictEqual(BigInt(insns[2].address), BigInt(pc));
	assert.ok(insns[2].instruction.length > 0);
	assert.ok(BigInt(insns[0].address) < BigInt(insns[1].address));
	const mem = await s.dc.customRequest('readMemory', { memoryReference: pc, count: 4 });
	const bytes = Buffer.from(mem.body.data, 'base64');
	assert.strictEqual(bytes.length, 4);
	assert.notStrictEqual(bytes[0], 0xcc, 'the int3 is hidden');
	if (insns[2].instructionBytes) assert.strictEqual(bytes.toString('hex').slice(0, 2), insns[2].instructionBytes.replace(/\s/g, '').slice(0, 2));
	const name = await s.dc.evaluateRequest({ expression: '&head.name[0]', frameId, context: 'watch' });
	const at = name.body.result.match(/0x[0-9a-f`]+/i)[0].replace(/`/g, '');
	const before = Buffer.from((await s.dc.customRequest('readMemory', { memoryReference: at, count: 4 })).body.data, 'base64');
	assert.strictEqual(before.toString(), 'head');
	const w = await s.dc.customRequest('writeMemory', { memoryReference: at, data: Buffer.from('HEAD').toString('base64') });
	assert.strictEqual(w.body.bytesWritten, 4);
	const after = Buffer.from((await s.dc.customRequest('readMemory', { memoryReference: at, count: 4 })).body.data, 'base64');
	assert.strictEqual(after.toString(), 'HEAD');
}));

test('modules and loadedSources; module events', () => session(async (s) => {
	await stoppedIn(s, ['loop', '1'], mark('tick'));
	assert.ok(s.events.some((e) => e.event === 'module'), 'module events came');
	const mods = (await s.dc.modulesRequest({})).body.modules;
	assert.ok(mods.some((m) => /dap_target/.test(m.name) || /dap_target/.test(m.path || '')), `modules: ${mods.map((m) => m.name)}`);
	assert.ok(mods.some((m) => /libc/.test(m.name)));
	const srcs = (await s.dc.customRequest('loadedSources', {})).body.sources;
	assert.ok(srcs.some((x) => /dap_target\.c$/.test(x.path || x.name)), `sources: ${srcs.map((x) => x.name)}`);
}));

// ---- running ----

test('next, stepIn and stepOut by line; next by instruction', () => session(async (s) => {
	const { tid } = await stoppedIn(s, ['loop', '3'], mark('call'));
	let stop = s.next('stopped');
	await s.dc.stepInRequest({ threadId: tid });
	assert.strictEqual((await stop).body.reason, 'step');
	let f = await s.top(tid);
	assert.match(f[0].name, /tick/);
	stop = s.next('stopped');
	await s.dc.nextRequest({ threadId: tid });
	await stop;
	f = await s.top(tid);
	assert.match(f[0].name, /tick/);
	assert.ok(f[0].line > mark('tick') - 3 && f[0].line <= mark('tick') + 2, `line ${f[0].line}`);
	const pc0 = BigInt(f[0].instructionPointerReference);
	stop = s.next('stopped');
	await s.dc.nextRequest({ threadId: tid, granularity: 'instruction' });
	await stop;
	f = await s.top(tid);
	const pc1 = BigInt(f[0].instructionPointerReference);
	assert.ok(pc1 > pc0 && pc1 - pc0 <= 15n, `one instruction: ${pc0.toString(16)} -> ${pc1.toString(16)}`);
	stop = s.next('stopped');
	await s.dc.stepOutRequest({ threadId: tid });
	await stop;
	f = await s.top(tid);
	assert.match(f[0].name, /loop/);
}));

test('pause stops a running program', () => session(async (s) => {
	await s.launch(['loop', '2000000000']);
	await s.dc.configurationDoneRequest();
	// The program is running: its first line arrived.
	await s.output('stdout', /out: cwd=/);
	const stop = s.next('stopped');
	await s.dc.pauseRequest({ threadId: 0 });
	const e = await stop;
	assert.strictEqual(e.body.reason, 'pause');
	const frames = await s.top(e.body.threadId);
	assert.ok(frames.length > 0);
	const term = s.next('terminated');
	await s.dc.terminateRequest({});
	await term;
}));

test('threads: thread events and a breakpoint in each of two threads', () => session(async (s) => {
	await s.launch(['threads']);
	await s.dc.setBreakpointsRequest(bps([mark('worker')]));
	const started = s.next('thread', (e) => e.body.reason === 'started');
	let stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	let e = await stop;
	await started;
	const seen = new Set([e.body.threadId]);
	const threads = (await s.dc.threadsRequest()).body.threads;
	assert.ok(threads.length >= 2, `threads: ${JSON.stringify(threads)}`);
	stop = s.next('stopped');
	await s.dc.continueRequest({ threadId: e.body.threadId });
	e = await stop;
	seen.add(e.body.threadId);
	assert.strictEqual(seen.size, 2, 'each worker thread hit it');
	const exited = s.next('exited');
	await s.dc.continueRequest({ threadId: e.body.threadId });
	assert.strictEqual((await exited).body.exitCode, 0);
}));

// ---- the ends of a session ----

test('attach to a running process, break there, then disconnect leaving it running clean', () => session(async (s) => {
	const child = cp.spawn(program, ['wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	const pidLine = new Promise((resolve) => child.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/pid (\d+)/);
		if (m) resolve(Number(m[1]));
	}));
	const exit = new Promise((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
	try {
		const pid = await pidLine;
		const initialized = s.next('initialized');
		await s.dc.attachRequest({ pid, program });
		await initialized;
		await s.dc.setBreakpointsRequest(bps([mark('tick')]));
		await s.dc.configurationDoneRequest();
		const stop = s.next('stopped', (e) => e.body.reason === 'breakpoint');
		child.stdin.write('go\n');
		const e = await stop;
		const frames = await s.top(e.body.threadId);
		assert.match(frames[0].name, /tick/);
		await s.disconnect({ terminateDebuggee: false });
		const [code, sig] = await exit;
		assert.strictEqual(sig, null, 'no signal ended it (no int3 left behind)');
		assert.strictEqual(code, 0);
	} finally {
		child.kill('SIGKILL');
	}
}));

test('disconnect with terminateDebuggee kills the program', () => session(async (s) => {
	await stoppedIn(s, ['loop', '3'], mark('tick'));
	const pid = await programPid(s);
	await s.disconnect({ terminateDebuggee: true });
	assert.ok(await gone(pid), `process ${pid} is gone`);
}));

test('terminate ends the program: exited, terminated', () => session(async (s) => {
	assert.ok(s.caps.supportsTerminateRequest);
	await stoppedIn(s, ['loop', '3'], mark('tick'));
	const exited = s.next('exited');
	const term = s.next('terminated');
	await s.dc.terminateRequest({});
	await exited;
	await term;
}));

test('restart runs the program again with its breakpoints', () => session(async (s) => {
	assert.ok(s.caps.supportsRestartRequest);
	const { tid } = await stoppedIn(s, ['loop', '3'], mark('call'));
	await s.dc.setBreakpointsRequest(bps([mark('tick')]));
	const out = s.output('stdout', /out: cwd=.*\n(.|\n)*out: cwd=/);
	const stop = s.next('stopped');
	await s.dc.restartRequest({});
	const e = await stop;
	assert.match(e.body.reason, /breakpoint|entry/);
	if (e.body.reason === 'entry') {
		const again = s.next('stopped');
		await s.dc.continueRequest({ threadId: e.body.threadId });
		await again;
	}
	await out;
	assert.ok(tid);
}));

// The program's pid: the process running it among the adapter's descendants.
async function programPid(s) {
	const parent = {};
	const running = [];
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			parent[d] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
			if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith(program)) running.push(d);
		} catch (e) {
			// gone meanwhile
		}
	}
	const adapter = String(s.dc._adapterProcess.pid);
	for (const pid of running) {
		for (let p = parent[pid]; p && p !== '0' && p !== '1'; p = parent[p])
			if (p === adapter) return Number(pid);
	}
	throw new Error('the program is not running');
}

// Waits until pid is no process (a zombie counts as gone), by its exit being seen.
async function gone(pid) {
	for (;;) {
		let state = '';
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			state = stat.slice(stat.lastIndexOf(')') + 2)[0];
		} catch (e) {
			return true;
		}
		if (state === 'Z' || state === 'X') return true;
		await new Promise((r) => setImmediate(r));
	}
}

// Waits until pid runs (state R: the busy loop resumed, no longer stopped by the tracer).
async function resumed(pid) {
	for (;;) {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'R') return;
		await new Promise((r) => setImmediate(r));
	}
}

// ---- bad input ----

test('bad input: malformed JSON, unknown requests, wrong argument types get error responses; the session goes on', () => session(async (s) => {
	const dc = s.dc;
	const answer = new Promise((resolve) => dc.pendingRequests.set(0, resolve));
	const bad = '{"seq": 99, "type": "request", "command": ';
	dc.outputStream.write(`Content-Length: ${Buffer.byteLength(bad)}\r\n\r\n${bad}`);
	const r = await answer;
	assert.strictEqual(r.success, false);
	assert.ok(r.message.length > 0);
	await assert.rejects(dc.customRequest('noSuchRequest', {}), (e) => e.message.length > 0);
	await assert.rejects(dc.launchRequest({ program: 42 }), (e) => e.message.length > 0);
	await s.launch(['loop', '2']);
	await assert.rejects(dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 'ten' }] }), (e) => e.message.length > 0);
	await assert.rejects(dc.stackTraceRequest({ threadId: 'main' }), (e) => e.message.length > 0);
	const ok = await dc.setBreakpointsRequest(bps([mark('tick')]));
	assert.ok(ok.body.breakpoints[0].verified);
	const stop = s.next('stopped');
	await dc.configurationDoneRequest();
	assert.strictEqual((await stop).body.reason, 'breakpoint');
}));

// ---- robustness: no message may crash or hang the adapter ----
const dr7Only = { skip: other ? 'dr7-specific input' : false };

// Writes raw bytes to the adapter; resolves with the next response to
// request_seq 0 (what an adapter answers a message it could not read).
function rawAnswer(s, bytes) {
	const answer = new Promise((resolve) => s.dc.pendingRequests.set(0, resolve));
	s.dc.outputStream.write(bytes);
	return answer;
}
const framed = (obj) => {
	const body = JSON.stringify(obj);
	return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

test('framing: after a bad header (too long, not a number) the next message is read; spaces and tabs around the length are fine', dr7Only, () => session(async (s) => {
	const req = (seq) => ({ seq, type: 'request', command: 'threads' });
	let r = await rawAnswer(s, `Content-Length: 100000000\r\n\r\n${JSON.stringify(req(500))}`);
	assert.strictEqual(r.success, false);
	assert.match(r.message, /100000000 bytes/);
	assert.ok(Array.isArray((await s.dc.threadsRequest()).body.threads), 'the session goes on');
	r = await rawAnswer(s, `Content-Length: twelve\r\n\r\n${JSON.stringify(req(501))}`);
	assert.strictEqual(r.success, false);
	assert.match(r.message, /header/);
	assert.ok(Array.isArray((await s.dc.threadsRequest()).body.threads), 'the session goes on');
	// A tab after the number is whitespace: the message is read.
	const body = JSON.stringify(req(502));
	const ok = new Promise((resolve) => s.dc.pendingRequests.set(502, resolve));
	s.dc.outputStream.write(`Content-Length: ${Buffer.byteLength(body)}\t\r\n\r\n${body}`);
	assert.strictEqual((await ok).success, true);
	// A failure's message is never cut (a cut could split a character and lose it).
	const name = 'é'.repeat(1000);
	await assert.rejects(s.dc.customRequest(name, {}), (e) => e.message.includes(name));
}));

test('a source path that is not UTF-8: loadedSources and the stack show it with ? for the bad bytes', dr7Only, () => session(async (s) => {
	const base = fs.mkdtempSync('/tmp/dr7-dap-');
	try {
		// The directory's name holds the byte 0xe9 alone (Latin-1 é), no UTF-8.
		const dir = Buffer.concat([Buffer.from(`${base}/bad`), Buffer.from([0xe9]), Buffer.from('dir')]);
		fs.mkdirSync(dir);
		fs.writeFileSync(Buffer.concat([dir, Buffer.from('/a.c')]), 'int main(void)\n{\n\treturn 7;\n}\n');
		cp.execFileSync('sh', ['-c', `cd "$(printf '%s/bad\\351dir' "$1")" && cc -g -O0 -o "$1/prog" a.c`, 'sh', base]);
		const initialized = s.next('initialized');
		await s.dc.launchRequest({ program: `${base}/prog`, stopOnEntry: true });
		await initialized;
		const stop = s.next('stopped');
		await s.dc.configurationDoneRequest();
		const e = await stop;
		const sources = (await s.dc.customRequest('loadedSources', {})).body.sources;
		assert.ok(sources.some((x) => x.path === `${base}/bad?dir/a.c`), JSON.stringify(sources));
		const bp = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] });
		assert.ok(bp.body.breakpoints[0].verified);
		const hit = s.next('stopped');
		await s.dc.continueRequest({ threadId: e.body.threadId });
		const frames = await s.top((await hit).body.threadId);
		assert.strictEqual(frames[0].source.path, `${base}/bad?dir/a.c`);
		const exited = s.next('exited');
		await s.dc.continueRequest({ threadId: e.body.threadId });
		assert.strictEqual((await exited).body.exitCode, 7);
	} finally {
		fs.rmSync(base, { recursive: true, force: true });
	}
}));

// A request written as text (integers beyond JavaScript's exact range); resolves with its response.
function rawRequest(s, seq, command, argsText) {
	const answer = new Promise((resolve) => s.dc.pendingRequests.set(seq, resolve));
	const body = `{"seq":${seq},"type":"request","command":"${command}","arguments":${argsText}}`;
	s.dc.outputStream.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
	return answer;
}

test('huge start/count and out-of-range 64-bit ids: ranges are clamped, ids refused, never wrapped', dr7Only, () => session(async (s) => {
	const { tid, frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	const max = '9223372036854775807';
	const all = await s.top(tid);
	let r = await rawRequest(s, 700, 'stackTrace', `{"threadId":${tid},"startFrame":1,"levels":${max}}`);
	assert.ok(r.success, r.message);
	assert.strictEqual(r.body.stackFrames.length, all.length - 1);
	const scopes = (await s.dc.scopesRequest({ frameId })).body.scopes;
	const ref = scopes.find((x) => /global/i.test(x.name)).variablesReference;
	const vars = (await s.dc.variablesRequest({ variablesReference: ref })).body.variables;
	r = await rawRequest(s, 701, 'variables', `{"variablesReference":${ref},"start":1,"count":${max}}`);
	assert.ok(r.success, r.message);
	assert.strictEqual(r.body.variables.length, vars.length - 1);
	r = await rawRequest(s, 702, 'modules', `{"startModule":1,"moduleCount":${max}}`);
	assert.ok(r.success, r.message);
	assert.strictEqual(r.body.modules.length, r.body.totalModules - 1);
	const wrapped = [
		['variables', `{"variablesReference":${ref - 4294967296}}`],
		['variables', `{"variablesReference":${ref + 4294967296}}`],
		['setVariable', `{"variablesReference":${ref + 4294967296},"name":"hits","value":"1"}`],
		['stackTrace', `{"threadId":${tid + 4294967296}}`],
		['scopes', `{"frameId":${BigInt(frameId) + (1n << 42n)}}`],
		['evaluate', `{"expression":"hits","frameId":${BigInt(frameId) + (1n << 42n)}}`],
		['dataBreakpointInfo', `{"name":"hits","variablesReference":${ref + 4294967296}}`],
		['next', `{"threadId":${tid + 4294967296}}`],
	];
	let seq = 710;
	for (const [command, text] of wrapped) {
		r = await rawRequest(s, seq++, command, text);
		assert.strictEqual(r.success, false, `${command} ${text} was accepted`);
		assert.ok(r.message.length > 0);
	}
	// Nothing ran: the thread is still stopped in tick.
	assert.match((await s.top(tid))[0].name, /tick/);
}));

test('paths, names and conditions never become dr7 commands: a path a command cannot hold is refused', dr7Only, () => session(async (s) => {
	const { tid } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	for (const p of ['x.c:1` ; .kill ; `x.c', 'a;.kill;b.c', 'a"b.c', 'a\nb.c']) {
		await assert.rejects(s.dc.setBreakpointsRequest({ source: { path: p }, breakpoints: [{ line: 1 }] }),
			(e) => /cannot set breakpoints in/.test(e.message), JSON.stringify(p));
	}
	// Clearing the breakpoints of such a path is no command: it succeeds.
	assert.ok((await s.dc.setBreakpointsRequest({ source: { path: 'a;b.c' }, breakpoints: [] })).success);
	const fn = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick;.kill' }, { name: 'tick`.kill' }] });
	assert.ok(fn.body.breakpoints.every((b) => !b.verified && b.message));
	// Quotes, backslashes, ';' and line breaks in a condition stay in the condition.
	for (const condition of ['"; .kill ; "', 'hits\\" ; .kill ; \\"', 'hits == 1\n.kill', 'hits == 1\r.kill']) {
		const r = await s.dc.setBreakpointsRequest(bps([mark('tick')], { condition }));
		assert.strictEqual(r.body.breakpoints.length, 1);
	}
	await s.dc.setBreakpointsRequest(bps([]));
	// The program is still there, stopped where it was.
	const frames = await s.top(tid);
	assert.match(frames[0].name, /tick/);
	const exited = s.next('exited');
	await s.dc.continueRequest({ threadId: tid });
	assert.strictEqual((await exited).body.exitCode, 3);
}));

test('terminate, then a new launch runs to its breakpoint (no stale interrupt, no bogus entry stop); configurationDone once a launch', dr7Only, () => session(async (s) => {
	await stoppedIn(s, ['loop', '3'], mark('tick'));
	// A second configurationDone does not run the program again.
	await assert.rejects(s.dc.configurationDoneRequest(), (e) => /already/.test(e.message));
	let term = s.next('terminated');
	await s.dc.terminateRequest({});
	await term;
	await s.launch(['loop', '3']);
	await s.dc.setBreakpointsRequest(bps([mark('tick')]));
	const stop = s.next('stopped');
	await s.dc.configurationDoneRequest();
	const e = await stop;
	assert.strictEqual(e.body.reason, 'breakpoint');
	assert.match((await s.top(e.body.threadId))[0].name, /tick/);
	term = s.next('terminated');
	await s.dc.terminateRequest({});
	await term;
}));

test('pause and disconnect reach a program a REPL command (g) runs', dr7Only, () => session(async (s) => {
	const { tid, frameId } = await stoppedIn(s, ['loop', '2000000000'], mark('tick'));
	const pid = await programPid(s);
	const stop = s.next('stopped');
	const repl = s.dc.evaluateRequest({ expression: 'g', context: 'repl', frameId });
	await resumed(pid);
	await s.dc.pauseRequest({ threadId: tid });
	assert.strictEqual((await stop).body.reason, 'pause');
	assert.ok((await repl).success);
	assert.ok((await s.top(tid)).length > 0, 'the program is stopped, its stack readable');
	// Again, ended by disconnect: it answers and the adapter leaves (Session.end).
	s.dc.evaluateRequest({ expression: 'g', context: 'repl' }).catch(() => {});
	await resumed(pid);
	await s.disconnect({ terminateDebuggee: true });
	assert.ok(await gone(pid), `process ${pid} is gone`);
}));

test('the end of input while a REPL command runs the program ends the adapter', dr7Only, () => session(async (s) => {
	const { frameId } = await stoppedIn(s, ['loop', '2000000000'], mark('tick'));
	const pid = await programPid(s);
	s.dc.evaluateRequest({ expression: 'g', context: 'repl', frameId }).catch(() => {});
	await resumed(pid);
	s.disconnected = true;
	s.dc._adapterProcess.stdin.end();
	const [code, sig] = await s.exited;
	assert.deepStrictEqual([code, sig], [0, null]);
	assert.ok(await gone(pid), `process ${pid} is gone`);
}));

test('disassemble 3000 instructions back: they run contiguously into the address asked for', dr7Only, () => session(async (s) => {
	await stoppedIn(s, ['loop', '3'], mark('tick'));
	const pid = await programPid(s);
	// Inside libc's code, far from its start: 3000 instructions of real code before it.
	const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
	const text = maps.find((l) => / r-xp .*\/libc[.-]/.test(l));
	assert.ok(text, maps.join('\n'));
	// An instruction's address there: forward decoding falls into step within a few.
	const near = `0x${(BigInt(`0x${text.split('-')[0]}`) + 0x60000n).toString(16)}`;
	const fwd = (await s.dc.disassembleRequest({ memoryReference: near, instructionCount: 40 })).body.instructions;
	const at = BigInt(fwd[39].address);
	const back = 3000;
	const d = await s.dc.disassembleRequest({ memoryReference: `0x${at.toString(16)}`, instructionOffset: -back, instructionCount: back + 1 });
	const ins = d.body.instructions;
	assert.strictEqual(ins.length, back + 1);
	assert.strictEqual(BigInt(ins[back].address), at);
	for (let i = 0; i < back; i++) {
		assert.notStrictEqual(ins[i].instruction, '??', `instruction ${i}`);
		const len = BigInt(ins[i].instructionBytes.replace(/\s/g, '').length / 2);
		assert.strictEqual(BigInt(ins[i].address) + len, BigInt(ins[i + 1].address), `instruction ${i} meets the next`);
	}
}));

test('a REPL breakpoint never takes id 0; REPL and function breakpoints name their source by its absolute path', dr7Only, () => session(async (s) => {
	const { tid } = await stoppedIn(s, ['loop', '3'], mark('call'));
	const added = s.next('breakpoint', (e) => e.body.reason === 'new');
	await s.dc.evaluateRequest({ expression: 'bp tick', context: 'repl' });
	const bp = (await added).body.breakpoint;
	assert.ok(bp.id > 0, `id ${bp.id}`);
	assert.strictEqual(bp.source.path, source);
	const fn = (await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] })).body.breakpoints[0];
	assert.ok(fn.verified && fn.id > 0 && fn.id !== bp.id);
	assert.strictEqual(fn.source.path, source);
	const stop = s.next('stopped');
	await s.dc.continueRequest({ threadId: tid });
	assert.ok((await stop).body.hitBreakpointIds.includes(bp.id));
}));

test('a variables reference from an earlier stop fails instead of naming another variable', dr7Only, () => session(async (s) => {
	const { tid, frameId } = await stoppedIn(s, ['loop', '3'], mark('tick'));
	const old = (await s.dc.scopesRequest({ frameId })).body.scopes.map((x) => x.variablesReference);
	assert.ok(old.every((r) => r > 0));
	await s.dc.setBreakpointsRequest(bps([mark('tick')]));
	const stop = s.next('stopped');
	await s.dc.continueRequest({ threadId: tid });
	await stop;
	const now = (await s.dc.scopesRequest({ frameId: (await s.top(tid))[0].id })).body.scopes.map((x) => x.variablesReference);
	for (const r of old) {
		assert.ok(!now.includes(r), `reference ${r} given again`);
		await assert.rejects(s.dc.variablesRequest({ variablesReference: r }), (e) => /not known/.test(e.message));
	}
	assert.ok((await s.dc.variablesRequest({ variablesReference: now[0] })).body.variables.length > 0);
}));

test('program output that is not ASCII arrives whole, however the reads cut it', dr7Only, () => session(async (s) => {
	// 4095 bytes of 'a', then 3000 two-byte characters, in big writes: most
	// 4096-byte reads of the pipe end in the middle of a character.
	const script = 'BEGIN { s = ""; for (i = 0; i < 4095; i++) s = s "a"; for (i = 0; i < 3000; i++) s = s "\\303\\251"; print s }';
	const expected = `${'a'.repeat(4095)}${'é'.repeat(3000)}\n`;
	const out = s.output('stdout', /\n/);
	const initialized = s.next('initialized');
	await s.dc.launchRequest({ program: '/usr/bin/awk', args: [script], cwd: top });
	await initialized;
	await s.dc.configurationDoneRequest();
	await out;
	await s.next('terminated');
	const text = s.events.filter((e) => e.event === 'output' && e.body.category === 'stdout').map((e) => e.body.output).join('');
	assert.strictEqual(text, expected);
}));

test('while the program runs, requests on its state are refused at once; after pause they are served', dr7Only, () => session(async (s) => {
	await s.launch(['loop', '2000000000']);
	await s.dc.configurationDoneRequest();
	await s.output('stdout', /out: cwd=/);
	await assert.rejects(s.dc.threadsRequest(), (e) => /running/.test(e.message));
	await assert.rejects(s.dc.stackTraceRequest({ threadId: 1 }), (e) => /running/.test(e.message));
	await assert.rejects(s.dc.evaluateRequest({ expression: 'hits', context: 'watch' }), (e) => /running/.test(e.message));
	const stop = s.next('stopped');
	await s.dc.pauseRequest({ threadId: 0 });
	const e = await stop;
	assert.ok((await s.dc.threadsRequest()).body.threads.length > 0);
	assert.ok((await s.top(e.body.threadId)).length > 0);
}));
