/**
 * The model server: `createServer` offers `ServedModel`s over the Open Inference Protocol and
 * MLflow's `/invocations`; `PredictionLog` records what it answers. See docs/serve.md.
 *
 * @module
 */
export { createServer, SERVE_DEFAULTS, type ServeOptions } from './app.ts';
export { LATENCY_BUCKETS, type ScoringRoute, ServerMetrics } from './metrics.ts';
export {
  looksLikePredictionLog,
  PredictionLog,
  type PredictionLogEntry,
  type PredictionLogFilter,
  type PredictionLogRows,
  readPredictionLog,
} from './prediction-log.ts';
export { ModelReloader, type ReloadEvent, type ReloadSource } from './reload.ts';
export { type InferRequest, inferRequest, recordsTable } from './request-table.ts';
export {
  type ModelMetadata,
  type ScoreResult,
  ServedModel,
  type ServedModelSpec,
  servedModelFromPackage,
  type TensorMetadata,
} from './served-model.ts';
export { ServedModels } from './served-models.ts';
export { DATATYPES, type Datatype, type Tensor } from './tensor.ts';
