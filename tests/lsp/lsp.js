// A scripted LSP client for the tests: spawns `apic lsp`, frames JSON-RPC
// messages with Content-Length, queues what the server sends.
'use strict';
const { spawn } = require('child_process');

class Client {
	constructor(argv, opts = {}) {
		this.proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', opts.stderr || 'inherit'] });
		this.buf = Buffer.alloc(0);
		this.msgs = [];          // everything received, in order
		this.waiters = [];
		this.nextId = 1;
		this.exited = new Promise((res) => this.proc.on('exit', (code, sig) => res({ code, sig })));
		this.proc.stdout.on('data', (d) => this.onData(d));
		this.proc.stdin.on('error', () => {});
	}
	onData(d) {
		this.buf = Buffer.concat([this.buf, d]);
		for (;;) {
			const sep = this.buf.indexOf('\r\n\r\n');
			if (sep < 0) return;
			const head = this.buf.slice(0, sep).toString();
			const m = /Content-Length: (\d+)/i.exec(head);
			if (!m) throw new Error('bad header from the server: ' + head);
			const n = +m[1];
			if (this.buf.length < sep + 4 + n) return;
			const body = this.buf.slice(sep + 4, sep + 4 + n).toString('utf8');
			this.buf = this.buf.slice(sep + 4 + n);
			this.msgs.push(JSON.parse(body));
			this.poke();
		}
	}
	poke() {
		for (let i = 0; i < this.waiters.length; i++) {
			const w = this.waiters[i];
			const k = this.msgs.findIndex(w.pred);
			if (k >= 0) {
				const [m] = this.msgs.splice(k, 1);
				this.waiters.splice(i--, 1);
				clearTimeout(w.timer);
				w.res(m);
			}
		}
	}
	// the first queued (or future) message matching pred
	wait(pred, what, ms = 20000) {
		return new Promise((res, rej) => {
			const w = { pred, res };
			w.timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(w), 1);
				rej(new Error('timeout waiting for ' + what));
			}, ms);
			this.waiters.push(w);
			this.poke();
		});
	}
	sendRaw(s) {
		this.proc.stdin.write(s);
	}
	send(obj) {
		const body = Buffer.from(JSON.stringify(obj), 'utf8');
		this.sendRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
	}
	request(method, params) {
		const id = this.nextId++;
		this.send({ jsonrpc: '2.0', id, method, params });
		return this.wait((m) => m.id === id && !m.method, method).then((m) => m);
	}
	notify(method, params) {
		this.send({ jsonrpc: '2.0', method, params });
	}
	diagnostics(uri) {
		return this.wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri,
			'diagnostics of ' + uri).then((m) => m.params);
	}
	close() {
		this.proc.stdin.end();
	}
}

module.exports = { Client };
