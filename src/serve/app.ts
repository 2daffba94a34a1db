/**
 * The model server (`lathe serve`): a `fastify` app offering one or more {@link ServedModel}s over
 * the Open Inference Protocol (KServe's V2 REST protocol, as MLServer and Triton serve it) and
 * MLflow's `POST /invocations`.
 *
 * | route | does |
 * |---|---|
 * | `GET /v2/health/live`, `GET /v2/health/ready` | liveness; readiness (false once the prediction log cannot be written) — never need the token |
 * | `GET /v2` | server metadata |
 * | `GET /v2/models/<name>[/versions/<v>]` | model metadata: inputs with types and categories, outputs |
 * | `GET /v2/models/<name>[/versions/<v>]/ready` | model readiness |
 * | `POST /v2/models/<name>[/versions/<v>]/infer` | scoring: one input tensor per column |
 * | `POST /invocations` | scoring with `dataframe_records` / `dataframe_split` / `instances` (one model served) |
 * | `GET /metrics` | Prometheus metrics: requests, latency, rows, versions served, reloads, the process |
 *
 * The models are a {@link ServedModels}: one can be replaced while the server runs (see
 * reload.ts), and each request is answered whole by the version it found when it started.
 *
 * Safe by default: only JSON bodies (415 otherwise), a body size limit (413), a row limit per
 * request (413), a request timeout, a bearer token when one is set (401 without it, compared in
 * constant time), and every error as `{"error": "<what, and how to fix it>"}` with a 4xx status —
 * a 500 only for a fault of the server itself, reported to `onInternalError`.
 *
 * @module
 */

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, show } from '../core/errors.ts';
import { columnValues } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import { type ScoringRoute, ServerMetrics } from './metrics.ts';
import type { PredictionLog, PredictionLogEntry } from './prediction-log.ts';
import { inferRequest, recordsTable } from './request-table.ts';
import type { ScoreResult, ServedModel } from './served-model.ts';
import { ServedModels } from './served-models.ts';

// Fastify is CommonJS: `require` loads it without Node's scan of its sources for export names,
// which an ES `import` makes first (loading it: 0.40 → 0.32 s of CPU here).
const Fastify = createRequire(import.meta.url)('fastify') as typeof import('fastify');

/** Options of {@link createServer}. */
export interface ServeOptions {
  /** The bearer token every request but the health checks must carry (none: no check). */
  token?: string | null;
  /** Rows a request may hold (default 100 000). */
  maxRows?: number;
  /** Bytes a request body may hold (default 32 MiB). */
  bodyLimit?: number;
  /** Milliseconds a request may take to arrive (default 30 000). */
  requestTimeoutMs?: number;
  /** Where each scoring request is logged (default: nowhere). */
  log?: PredictionLog | null;
  /** Called with an unexpected error (the client gets a 500 without its details). */
  onInternalError?: (error: Error, request: { method: string; url: string }) => void;
  /** The server's version in `GET /v2`. */
  version?: string;
  /** Where `GET /metrics` counts (default: a new {@link ServerMetrics}, closed with the server). */
  metrics?: ServerMetrics;
  /** Serve over HTTPS with this PEM key and certificate (chain) instead of plain HTTP. */
  https?: { key: string | Buffer; cert: string | Buffer } | null;
}

/** The defaults of {@link ServeOptions}. */
export const SERVE_DEFAULTS = {
  maxRows: 100_000,
  bodyLimit: 32 * 1024 * 1024,
  requestTimeoutMs: 30_000,
} as const;

const OPEN_ROUTES = new Set(['/v2/health/live', '/v2/health/ready']);

/** SHA-256 of a token, so that tokens of any length compare in constant time. */
const digest = (s: string) => createHash('sha256').update(s).digest();

/** The request's bearer token, if it has one. */
function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}

/** The `{ error }` body and status of an error raised while handling a request. */
function problem(e: unknown, bodyLimit: number): { status: number; body: { error: string } } {
  if (e instanceof HttpError) return { status: e.status, body: { error: e.message } };
  const err = e as Error & { code?: string; statusCode?: number };
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: `The request body is larger than this server takes (${bodyLimit} bytes). Fix: split the rows over several requests, or start the server with a larger --max-body-mb.`,
        },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: {
          error:
            'The request body must be JSON. Fix: send the header Content-Type: application/json (curl -d sends form data unless given -H "Content-Type: application/json").',
        },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: {
          error:
            'The request body is not valid JSON, or holds a "__proto__" key or a "constructor" object with a "prototype" (refused: they can tamper with objects). Fix: send one JSON object without those keys.',
        },
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'The request body is empty. Fix: send a JSON object.' } };
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return {
      status: 400,
      body: { error: `The request body is not valid JSON (${err.message}). Fix: send one JSON object.` },
    };
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, body: { error: err.message } };
  }
  return {
    status: 500,
    body: {
      error:
        "Internal server error: the fault is the server's, not the request's; it has been reported to the server log.",
    },
  };
}

/** The outputs of a scoring as the protocol's response tensors, with Lathe's notes in `parameters`. */
function responseParameters(r: ScoreResult): Record<string, unknown> | undefined {
  const p: Record<string, unknown> = {};
  if (r.ignored.length) p.ignored_inputs = r.ignored;
  if (r.unseen.length) {
    p.unseen_categories = r.unseen.map((u) => ({ input: u.column, rows: u.rows, examples: u.examples }));
  }
  return Object.keys(p).length ? p : undefined;
}

/** The columns of a table as plain arrays, by name (for the log). */
function columnsOf(t: Table): Record<string, unknown[]> {
  return Object.fromEntries(t.columnNames.map((n) => [n, columnValues(t.column(n))]));
}

/** What a scoring request was answered with (for the metrics, once the response is sent). */
interface Answered {
  route: ScoringRoute;
  model: string;
  version: string;
  rows: number;
}

/**
 * The model server as a `fastify` instance (not yet listening): call `listen({ host, port })`, or
 * `inject()` to call it in-process. `models` is a list, or a {@link ServedModels} to replace
 * models in while serving. Throws a `ValidationError` for no models or two of one name.
 */
export function createServer(
  models: readonly ServedModel[] | ServedModels,
  options: ServeOptions = {},
): FastifyInstance {
  const served = models instanceof ServedModels ? models : new ServedModels(models);
  const metrics = options.metrics ?? new ServerMetrics();
  const ownsMetrics = options.metrics === undefined;
  const answered = new WeakMap<FastifyRequest, Answered>();
  const maxRows = options.maxRows ?? SERVE_DEFAULTS.maxRows;
  const bodyLimit = options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit;
  const log = options.log ?? null;
  const token = options.token ? digest(options.token) : null;
  const app = Fastify({
    ...(options.https ? { https: { key: options.https.key, cert: options.https.cert } } : {}),
    logger: false,
    bodyLimit,
    requestTimeout: options.requestTimeoutMs ?? SERVE_DEFAULTS.requestTimeoutMs,
    // While stopping, requests get the server's own 503 (the onRequest hook below), not fastify's.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Errors raised before routing (a URL with a broken percent-escape): the server's own body.
    frameworkErrors: (e, request, reply) => {
      const bad = e.code === 'FST_ERR_BAD_URL';
      (reply as FastifyReply).code(bad ? 400 : (e.statusCode ?? 400)).send({
        error: bad
          ? `The URL ${request.url} is not valid: it holds a broken percent-escape. Fix: percent-encode the model name and version (e.g. encodeURIComponent), or see GET / for the routes.`
          : `${e.message}. Fix: see GET / for the routes this server has.`,
      });
    },
  });
  // Only JSON bodies: fastify also parses text/plain, which would hand a route a string (a JSON
  // text sent as text/plain then got a 400 saying the body lacked the keys it held) — now a 415.
  app.removeContentTypeParser('text/plain');

  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });

  app.addHook('onRequest', async (request, reply) => {
    if (stopping) {
      reply.header('connection', 'close');
      throw new HttpError(
        503,
        'The server is stopping and takes no new request. Fix: retry in a moment, on a new connection (once the server is back, or on another one behind the same address).',
      );
    }
    if (!token || OPEN_ROUTES.has(request.url.split('?')[0])) return;
    const given = bearer(request);
    if (given === null || !timingSafeEqual(digest(given), token)) {
      throw new HttpError(
        401,
        given === null
          ? 'This server needs a bearer token. Fix: send the header Authorization: Bearer <token> (the token the server was started with).'
          : "The bearer token is not the server's. Fix: send the token the server was started with.",
      );
    }
  });

  app.setErrorHandler((e, request, reply) => {
    const { status, body } = problem(e, bodyLimit);
    if (status === 500) options.onInternalError?.(e as Error, { method: request.method, url: request.url });
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: `No route ${request.method} ${request.url.split('?')[0]}. Fix: see GET / for the routes this server has.`,
    });
  });

  /** The model a route names (404 listing the served ones when there is none of that name or version). */
  const modelOf = (params: { name: string; version?: string }): ServedModel => {
    const m = served.get(params.name);
    if (!m) {
      throw new HttpError(404, `No model named ${show(params.name)} is served here.`, undefined, {
        fix: `use one of ${served.names().join(', ')}`,
      });
    }
    if (params.version !== undefined && params.version !== m.version) {
      throw new HttpError(
        404,
        `Model ${m.name} is served at version ${m.version}, not ${show(params.version)}.`,
        undefined,
        {
          fix: `use /v2/models/${m.name}/versions/${m.version}, or leave the version out`,
        },
      );
    }
    return m;
  };

  /** Scores a request's table with `m`, logs it, and returns what the route sends. */
  const score = (
    request: FastifyRequest,
    route: ScoringRoute,
    m: ServedModel,
    table: () => { table: Table; outputs: string[] | null; id: string | undefined },
    started: { time: string; t0: number },
  ) => {
    const answer: Answered = { route, model: m.name, version: m.version, rows: 0 };
    answered.set(request, answer);
    log?.checkWritable();
    let id: string | undefined;
    let rows = 0;
    try {
      const req = table();
      id = req.id;
      rows = req.table.nRows;
      const r = m.score(req.table, req.outputs);
      const requestId = id ?? randomUUID();
      log?.write({
        time: started.time,
        model: m.name,
        version: m.version,
        id: requestId,
        status: 200,
        rows: r.rows,
        latencyMs: performance.now() - started.t0,
        inputs: columnsOf(r.inputs),
        outputs: Object.fromEntries(r.outputs.map((o) => [o.name, o.data])),
      });
      answer.rows = r.rows;
      return { id: requestId, result: r };
    } catch (e) {
      if (log && e instanceof HttpError && e.status < 500) {
        const entry: PredictionLogEntry = {
          time: started.time,
          model: m.name,
          version: m.version,
          id: id ?? randomUUID(),
          status: e.status,
          rows,
          latencyMs: performance.now() - started.t0,
          error: e.message,
        };
        log.write(entry);
      }
      throw e;
    }
  };

  const start = () => ({ time: new Date().toISOString(), t0: performance.now() });

  app.get('/', async () => ({
    name: 'lathe',
    models: served.list().map((m) => ({
      name: m.name,
      version: m.version,
      task: m.task,
      metadata: `/v2/models/${m.name}`,
      infer: `/v2/models/${m.name}/infer`,
    })),
    routes: [
      'GET /v2/health/live',
      'GET /v2/health/ready',
      'GET /v2',
      'GET /v2/models/<name>',
      'GET /v2/models/<name>/ready',
      'POST /v2/models/<name>/infer',
      ...(served.size === 1 ? ['POST /invocations'] : []),
      'GET /metrics',
    ],
  }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_request, reply) => {
    const ready = !log?.failure;
    if (!ready) reply.code(503);
    return { ready };
  });
  app.get('/v2', async () => ({ name: 'lathe', version: options.version ?? '', extensions: [] }));

  const metadata = async (request: FastifyRequest<{ Params: { name: string; version?: string } }>) =>
    modelOf(request.params).metadata();
  app.get('/v2/models/:name', metadata);
  app.get('/v2/models/:name/versions/:version', metadata);

  const ready = async (
    request: FastifyRequest<{ Params: { name: string; version?: string } }>,
    reply: FastifyReply,
  ) => {
    const m = modelOf(request.params);
    const ok = !log?.failure;
    if (!ok) reply.code(503);
    return { name: m.name, ready: ok };
  };
  app.get('/v2/models/:name/ready', ready);
  app.get('/v2/models/:name/versions/:version/ready', ready);

  const infer = async (request: FastifyRequest<{ Params: { name: string; version?: string } }>) => {
    const started = start();
    const m = modelOf(request.params);
    const { id, result } = score(
      request,
      'infer',
      m,
      () =>
        inferRequest(
          request.body,
          m.inputs.columns.map((c) => c.name),
          maxRows,
        ),
      started,
    );
    const parameters = responseParameters(result);
    return {
      model_name: m.name,
      model_version: m.version,
      id,
      ...(parameters ? { parameters } : {}),
      outputs: result.outputs,
    };
  };
  app.post('/v2/models/:name/infer', infer);
  app.post('/v2/models/:name/versions/:version/infer', infer);

  app.post('/invocations', async (request) => {
    const started = start();
    if (served.size !== 1) {
      throw new HttpError(
        400,
        `POST /invocations scores with the one model of a server, and this one serves ${served.size} (${served.names().join(', ')}).`,
        undefined,
        {
          fix: 'use POST /v2/models/<name>/infer to choose the model',
        },
      );
    }
    const m = served.list()[0];
    const { result } = score(
      request,
      'invocations',
      m,
      () => ({ table: recordsTable(request.body, maxRows), outputs: null, id: undefined }),
      started,
    );
    const out = result.outputs;
    // MLflow's shape: a list of predictions, or of records when there are several outputs.
    if (out.length === 1) return { predictions: out[0].data };
    return {
      predictions: Array.from({ length: result.rows }, (_, i) =>
        Object.fromEntries(out.map((o) => [o.name, o.data[i]])),
      ),
    };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.render(served.list(), log ? !log.failure : null);
  });

  // Every response of a scoring route is counted — refused ones too (401, 404, 413, 415, …), under
  // the model the URL names when it is served (else ""), so that unknown names add no series.
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    let a = answered.get(request);
    if (!a) {
      const route: ScoringRoute | null =
        url === '/invocations' ? 'invocations' : url?.endsWith('/infer') ? 'infer' : null;
      if (route === null) return;
      const name =
        route === 'invocations'
          ? served.size === 1
            ? served.names()[0]
            : ''
          : ((request.params as { name?: string }).name ?? '');
      a = { route, model: served.get(name) ? name : '', version: '', rows: 0 };
    }
    metrics.observe(a.model, a.version, a.route, reply.statusCode, reply.elapsedTime / 1000, a.rows);
  });

  app.addHook('onClose', async () => {
    log?.close();
    if (ownsMetrics) metrics.close();
  });
  return app;
}
