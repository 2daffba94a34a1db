/**
 * `lathe serve <model>… [--host 127.0.0.1] [--port 8080]`: the model server. Each model is a
 * package path or registry reference, optionally named (`churn=models/churn-gbdt`); it is served
 * over the Open Inference Protocol at `/v2/models/<name>/infer` and, when it is the only one, at
 * MLflow's `POST /invocations`. Runs until Ctrl-C or SIGTERM, then finishes the requests under way
 * and exits 0.
 *
 *   lathe serve churn@champion
 *   lathe serve churn=runs/customers/model --port 9000 --log predictions.ndjson
 *   LATHE_SERVE_TOKEN=… lathe serve churn@champion --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem
 *   lathe serve churn@production --watch 30s      # serves the version the alias points at
 *
 * SIGHUP checks the references at once (as `--watch` does on its timer) and opens the `--log`
 * file again (after `logrotate` has moved it).
 * @module
 */

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Command } from 'commander';
import { loadModel } from '../automl/load.ts';
import { createServer, SERVE_DEFAULTS } from '../serve/app.ts';
import { ServerMetrics } from '../serve/metrics.ts';
import { PredictionLog } from '../serve/prediction-log.ts';
import { ModelReloader, type ReloadEvent } from '../serve/reload.ts';
import { type ServedModel, servedModelFromPackage } from '../serve/served-model.ts';
import { ServedModels } from '../serve/served-models.ts';
import { type LoadedModel, modelRefIdentity } from '../track/registry.ts';
import {
  action,
  type CommonOptions,
  intFlag,
  note,
  numberFlag,
  packageVersion,
  parseDuration,
  reportError,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkCanPredict } from './predict.ts';
import { terminalSafe } from './terminal.ts';

interface ServeFlags extends CommonOptions {
  host: string;
  port: number;
  tokenFile?: string;
  allowUnauthenticated?: boolean;
  maxRows?: number;
  maxBodyMb?: number;
  timeout?: number;
  log?: string;
  watch?: number;
  tlsCert?: string;
  tlsKey?: string;
}

/** Registers `lathe serve`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('serve')
      .description('serve models over HTTP (Open Inference Protocol; MLflow /invocations)')
      .argument(
        '<models...>',
        'model package paths or registry references (name@alias, name/version), each optionally NAME=MODEL',
      )
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--port <n>', 'port to listen on (0: any free port)', intFlag('--port', 0, 65535), 8080)
      .option(
        '--token-file <file>',
        'require Authorization: Bearer <the token in this file> (or set LATHE_SERVE_TOKEN)',
      )
      .option(
        '--allow-unauthenticated',
        'listen on an address other than loopback without a token (when a gateway authenticates)',
      )
      .option(
        '--max-rows <n>',
        `rows a request may hold (default ${SERVE_DEFAULTS.maxRows})`,
        intFlag('--max-rows'),
      )
      .option(
        '--max-body-mb <n>',
        `megabytes a request body may hold (default ${SERVE_DEFAULTS.bodyLimit / 2 ** 20})`,
        numberFlag('--max-body-mb', 0.001, 4096),
      )
      .option(
        '--timeout <duration>',
        `time a request may take to arrive, e.g. 30s (default ${SERVE_DEFAULTS.requestTimeoutMs / 1000}s)`,
        (v: string) => parseDuration('--timeout', v),
      )
      .option(
        '--log <file>',
        'append one JSON line per scoring request (inputs, outputs, latency) to this file',
      )
      .option(
        '--watch <interval>',
        'every <interval> (e.g. 30s), check whether a model reference points elsewhere (an alias moved, a package rewritten) and serve what it points at (SIGHUP checks at once)',
        watchFlag,
      )
      .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (or chain); needs --tls-key')
      .option('--tls-key <file>', 'the PEM private key of --tls-cert'),
  ).action(action(serveCommand));
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The longest interval (s) a Node.js timer keeps: 2^31 − 1 ms (a longer one fires every 1 ms). */
const MAX_WATCH_SECONDS = (2 ** 31 - 1) / 1000;

/**
 * The shortest interval (s) between checks: each asks the store (or the file system) and a timer
 * below 1 ms fires every 1 ms — a lookup in a loop.
 */
const MIN_WATCH_SECONDS = 0.1;

/** `--watch`: a duration from {@link MIN_WATCH_SECONDS} to {@link MAX_WATCH_SECONDS}. */
function watchFlag(v: string): number {
  const seconds = parseDuration('--watch', v);
  if (seconds < MIN_WATCH_SECONDS) {
    throw new UsageError(
      `--watch must be at least 0.1s (each check asks the registry or the file system what a reference points at); got '${v}'. Fix: pass e.g. --watch 30s, or send SIGHUP to check at once.`,
    );
  }
  if (seconds > MAX_WATCH_SECONDS) {
    throw new UsageError(
      `--watch must be at most 596h (24.8 days, the longest interval a timer keeps); got '${v}'. Fix: pass a shorter interval, or leave --watch out and send SIGHUP when the reference moves.`,
    );
  }
  return seconds;
}

/** `NAME=MODEL` split, or the reference alone. */
function namedRef(arg: string): { name: string | null; ref: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && NAME.test(arg.slice(0, eq))) return { name: arg.slice(0, eq), ref: arg.slice(eq + 1) };
  return { name: null, ref: arg };
}

/** The name a model is served under when none is given: its registry name, its package name, its folder. */
function defaultName(loaded: LoadedModel): string {
  if (loaded.ref.kind === 'registry' && loaded.ref.name) return loaded.ref.name;
  if (loaded.pkg.name && NAME.test(loaded.pkg.name)) return loaded.pkg.name;
  // A package's own folder, or the folder holding it when that one is just 'model' (lathe run's).
  const path = loaded.ref.path.replace(/\/+$/, '');
  const base = basename(path, extname(path));
  const folder = base === 'model' ? basename(dirname(path)) : base;
  const safe = folder.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return safe || 'model';
}

/** The token from --token-file or LATHE_SERVE_TOKEN, or null. */
function readToken(flags: ServeFlags): string | null {
  if (flags.tokenFile) {
    let text: string;
    try {
      text = readFileSync(flags.tokenFile, 'utf8');
    } catch (e) {
      throw new UsageError(
        `--token-file ${flags.tokenFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: pass a readable file holding the token.`,
      );
    }
    const token = text.trim();
    if (!/^\S{16,}$/.test(token)) {
      throw new UsageError(
        `--token-file ${flags.tokenFile}: the token must be one word of at least 16 characters without spaces. Fix: write one into the file, e.g. openssl rand -hex 32 > ${flags.tokenFile}.`,
      );
    }
    return token;
  }
  const env = process.env.LATHE_SERVE_TOKEN?.trim();
  if (env === undefined || env === '') return null;
  if (!/^\S{16,}$/.test(env)) {
    throw new UsageError(
      'LATHE_SERVE_TOKEN must be one word of at least 16 characters without spaces. Fix: set it to e.g. the output of openssl rand -hex 32.',
    );
  }
  return env;
}

/** The key and certificate of --tls-key/--tls-cert, checked to make a TLS context; null without them. */
function readTls(flags: ServeFlags): { key: Buffer; cert: Buffer } | null {
  if (!flags.tlsCert && !flags.tlsKey) return null;
  if (!flags.tlsCert || !flags.tlsKey) {
    throw new UsageError(
      `${flags.tlsCert ? '--tls-cert' : '--tls-key'} was given without ${flags.tlsCert ? '--tls-key' : '--tls-cert'}. Fix: pass both, the certificate (PEM) with --tls-cert and its private key (PEM) with --tls-key.`,
    );
  }
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new UsageError(
        `${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: pass a readable PEM file.`,
      );
    }
  };
  const cert = read('--tls-cert', flags.tlsCert);
  const key = read('--tls-key', flags.tlsKey);
  const problem = pemProblem('--tls-cert', flags.tlsCert, cert) ?? pemProblem('--tls-key', flags.tlsKey, key);
  if (problem) throw new UsageError(problem);
  try {
    createSecureContext({ key, cert });
  } catch (e) {
    throw new UsageError(
      `--tls-cert ${flags.tlsCert} and --tls-key ${flags.tlsKey} do not make a TLS identity (${(e as Error).message}). Fix: pass a PEM certificate and the PEM private key it was issued for (e.g. openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=localhost).`,
    );
  }
  // Node serves a certificate out of its dates without a word; every client that checks refuses it.
  const leaf = new X509Certificate(cert);
  const day = (openssl: string) => new Date(openssl).toISOString().slice(0, 10);
  const now = Date.now();
  if (Date.parse(leaf.validTo) < now || Date.parse(leaf.validFrom) > now) {
    const expired = Date.parse(leaf.validTo) < now;
    note(
      flags,
      `warning: the certificate in --tls-cert ${flags.tlsCert} ${expired ? `expired on ${day(leaf.validTo)}` : `is not valid before ${day(leaf.validFrom)}`}: clients that check certificates will refuse the connection. Fix: renew it, then restart the server.`,
    );
  }
  return { key, cert };
}

/**
 * What is wrong with the contents of a --tls-cert or --tls-key file before OpenSSL is asked
 * (whose "no start line" or "bad decrypt" says neither which file nor what to do), or null.
 */
function pemProblem(flag: '--tls-cert' | '--tls-key', path: string, bytes: Buffer): string | null {
  const text = bytes.toString('latin1');
  const isKey = flag === '--tls-key';
  const what = isKey ? 'private key' : 'certificate';
  if (!text.includes('-----BEGIN ')) {
    const der = bytes[0] === 0x30;
    const convert = isKey
      ? `openssl pkey -inform DER -in ${path} -out key.pem`
      : `openssl x509 -inform DER -in ${path} -out cert.pem`;
    return `${flag} ${path} is not a PEM file (no -----BEGIN line${der ? '; it looks like binary DER' : ''}). Fix: pass the ${what} in PEM${der ? `, e.g. ${convert}` : ''}.`;
  }
  if (
    isKey &&
    (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type: *4, *ENCRYPTED/.test(text))
  ) {
    return `--tls-key ${path} is encrypted with a passphrase, and lathe serve takes none (it would have to be kept next to the key). Fix: write the key decrypted, readable only by the server's user: openssl pkey -in ${path} -out key.pem && chmod 600 key.pem.`;
  }
  const holdsKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
  const holdsCert = text.includes('-----BEGIN CERTIFICATE-----');
  if (isKey ? !holdsKey : !holdsCert) {
    const swapped = isKey ? holdsCert : holdsKey;
    return `${flag} ${path} holds no PEM ${what}${swapped ? ` but a ${isKey ? 'certificate' : 'private key'} (--tls-cert and --tls-key swapped?)` : ''}. Fix: pass ${isKey ? 'the private key the certificate was issued for' : "the server's certificate, followed by its intermediate certificates if any"}.`;
  }
  return null;
}

/** Whether `host` is a loopback address (reachable from this machine only). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The usage error for a failed listen, or null when it is not the user's to fix. */
function listenError(e: NodeJS.ErrnoException, flags: ServeFlags): UsageError | null {
  const where = `${flags.host}:${flags.port}`;
  if (e.code === 'EADDRINUSE') {
    return new UsageError(
      `port ${flags.port} on ${flags.host} is in use by another program. Fix: pass --port with a free port (--port 0 picks one).`,
    );
  }
  if (e.code === 'EACCES') {
    return new UsageError(
      `listening on ${where} is not permitted (ports below 1024 need privileges). Fix: pass --port 1024 or above.`,
    );
  }
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return new UsageError(
      `--host ${flags.host} is not an address of this machine. Fix: pass 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`,
    );
  }
  return null;
}

async function serveCommand(args: string[], flags: ServeFlags): Promise<void> {
  // A SIGHUP that comes while the models load (logrotate, a reload sent early) would end the
  // process — its default action: it is kept, and acted on once the server listens.
  let hungUp = false;
  const early = () => {
    hungUp = true;
  };
  process.on('SIGHUP', early);
  const token = readToken(flags);
  const tls = readTls(flags);
  if (!token && !isLoopback(flags.host) && !flags.allowUnauthenticated) {
    throw new UsageError(
      `--host ${flags.host} would let anyone who can reach this machine use the models, and no token is set. Fix: pass --token-file FILE (clients then send Authorization: Bearer <token>), or --allow-unauthenticated when a gateway in front of the server authenticates.`,
    );
  }
  const models: ServedModel[] = [];
  const sources: string[] = [];
  const watched: { name: string; ref: string; identity: string }[] = [];
  for (const arg of args) {
    const { name, ref } = namedRef(arg);
    // What the reference points at, asked before loading it: if it moves in between, the first
    // check sees another identity and loads it again (a version served already is kept).
    const identity = await modelRefIdentity(ref, { store: flags.store });
    const loaded = await loadModel(ref, { store: flags.store });
    checkCanPredict(arg, loaded);
    const served = servedModelFromPackage(loaded, name ?? defaultName(loaded));
    const twin = models.findIndex((m) => m.name === served.name);
    if (twin >= 0) {
      throw new UsageError(
        `${sources[twin]} and ${arg} would both be served as '${served.name}'. Fix: name them apart, e.g. ${served.name}-b=${ref}.`,
      );
    }
    models.push(served);
    sources.push(arg);
    watched.push({ name: served.name, ref, identity });
  }
  const log = flags.log ? PredictionLog.open(flags.log) : null;
  const servedModels = new ServedModels(models);
  const metrics = new ServerMetrics();
  const app = createServer(servedModels, {
    https: tls,
    metrics,
    token,
    maxRows: flags.maxRows,
    bodyLimit: flags.maxBodyMb === undefined ? undefined : Math.round(flags.maxBodyMb * 2 ** 20),
    requestTimeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    log,
    version: await packageVersion(),
    onInternalError: (e, r) => {
      process.stderr.write(
        `internal error in ${r.method} ${terminalSafe(r.url)}: ${terminalSafe(e.message)}\n${process.env.LATHE_DEBUG === '1' ? `${e.stack}\n` : ''}`,
      );
    },
  });
  let address: string;
  try {
    address = await app.listen({ host: flags.host, port: flags.port });
  } catch (e) {
    log?.close();
    throw listenError(e as NodeJS.ErrnoException, flags) ?? e;
  }
  const reloads = startReloading(servedModels, watched, metrics, log, flags);
  process.off('SIGHUP', early);
  if (hungUp) reloads.hangup();
  const closed = stopOnSignals(app, flags).finally(() => {
    reloads.stop();
    metrics.close();
  });
  const url = address;
  const described = models.map((m, i) => ({
    name: m.name,
    version: m.version,
    source: sources[i],
    task: m.task,
    inputs: m.inputs.columns.map((c) => c.name),
    metadata: `${url}/v2/models/${m.name}`,
    infer: `${url}/v2/models/${m.name}/infer`,
  }));
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ url, models: described, invocations: models.length === 1 ? `${url}/invocations` : null, auth: token ? 'bearer' : 'none', tls: tls !== null, log: log?.path ?? null, watch: flags.watch ?? null, metrics: `${url}/metrics` }, null, 2)}\n`,
    );
  }
  for (const d of described)
    note(flags, `serving ${d.name} (version ${d.version}, ${d.task}) from ${d.source}: POST ${d.infer}`);
  note(
    flags,
    `listening on ${url}${token ? ' (bearer token required)' : ''}${log ? `; logging predictions to ${log.path}` : ''}${flags.watch ? `; checking every ${flags.watch} s whether a reference points elsewhere` : ''}. Ctrl-C stops.`,
  );
  await closed;
  // A check still waiting for the store (an unreachable PostgreSQL: 15 s per connection attempt)
  // would keep the process alive after 'stopped.', past the grace period of a supervisor that
  // then kills it; what it finds serves no one now.
  if (reloads.checking()) process.exit();
}

/**
 * Reloads served models when their references point elsewhere: every `--watch` interval, and at
 * once on SIGHUP (which also opens the `--log` file again, for log rotation; `hangup` does what
 * SIGHUP does). Each reload and each failure is noted on stderr (a failure once until it changes)
 * and counted in the metrics.
 */
function startReloading(
  models: ServedModels,
  watched: { name: string; ref: string; identity: string }[],
  metrics: ServerMetrics,
  log: PredictionLog | null,
  flags: ServeFlags,
): { stop(): void; hangup(): void; checking(): boolean } {
  // SQLite waits for a lock synchronously, stalling every request meanwhile (5 s at a time by
  // default, retried for 2 min): a check waits briefly, and a locked store fails it (retried later).
  const store = { store: flags.store, storeOptions: { sqlite: { busyTimeoutMs: 10, retryForMs: 1000 } } };
  // A package that loads but cannot be served (DBSCAN, a model that cannot score) fails the same
  // way until the reference moves: not loaded again meanwhile. A package that cannot be loaded is
  // retried — its store may be busy, its file being written.
  const unservable = new WeakSet<object>();
  const reloader = new ModelReloader(models, watched, {
    identify: (ref) => modelRefIdentity(ref, store),
    load: async (ref, name) => {
      const loaded = await loadModel(ref, store);
      try {
        checkCanPredict(ref, loaded);
        return servedModelFromPackage(loaded, name);
      } catch (e) {
        if (typeof e === 'object' && e !== null) unservable.add(e);
        throw e;
      }
    },
    lasting: (e) => typeof e === 'object' && e !== null && unservable.has(e),
  });
  const lastError = new Map<string, string>();
  const report = (e: ReloadEvent) => {
    metrics.reloaded(e.name, e.outcome === 'reloaded');
    if (e.outcome === 'reloaded') {
      lastError.delete(e.name);
      note(
        flags,
        `reloaded ${e.name}: ${e.ref} now points at version ${e.to} (was ${e.from}); it answers the requests from now on.`,
      );
    } else if (lastError.get(e.name) !== e.error) {
      lastError.set(e.name, e.error);
      note(
        flags,
        `warning: cannot reload ${e.name} from ${e.ref}: ${terminalSafe(e.error)} Still serving version ${e.version}; the next check tries again${e.lasting ? ' once the reference points elsewhere' : ''}.`,
      );
    }
  };
  // Triggers that come while a check runs share the check after it: its events are reported once.
  let reported: Promise<ReloadEvent[]> | null = null;
  const check = () => {
    const checking = reloader.check();
    if (checking === reported) return;
    reported = checking;
    checking.then((events) => {
      // A reference that can be followed again (pointing back at the version served reloads
      // nothing): its next failure is warned about again, even for the same reason.
      for (const name of [...lastError.keys()])
        if (!events.some((e) => e.name === name && e.outcome === 'failed')) lastError.delete(name);
      events.forEach(report);
    }, reportError);
  };
  const timer = flags.watch ? setInterval(check, flags.watch * 1000) : null;
  const hangup = () => {
    note(
      flags,
      `SIGHUP: checking the model references${log ? ' and opening the prediction log again' : ''}.`,
    );
    try {
      log?.reopen();
    } catch (e) {
      note(flags, `warning: ${terminalSafe((e as Error).message)} Still writing to the file opened before.`);
    }
    check();
  };
  process.on('SIGHUP', hangup);
  return {
    stop() {
      if (timer) clearInterval(timer);
      process.off('SIGHUP', hangup);
    },
    hangup,
    checking: () => reloader.checking,
  };
}

/**
 * Resolves once the server has stopped: on SIGINT or SIGTERM it stops taking connections,
 * finishes the requests under way and closes the log; a second signal ends the process at once.
 */
function stopOnSignals(app: ReturnType<typeof createServer>, flags: ServeFlags): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      note(flags, `${signal}: finishing the requests under way, then stopping.`);
      app.close().then(
        () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          note(flags, 'stopped.');
          resolve();
        },
        (e) => {
          reportError(e);
          resolve();
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
