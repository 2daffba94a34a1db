// The clustering oracle (scripts/oracles/cluster.py) and its datasets.
import { readFileSync } from 'node:fs';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { oracleDataset } from '../tree/datasets.ts';

export interface ClusterOracle {
  datasets: Record<string, { rows: number; cols: number; f32: string; y: number[] }>;
  kmeansExact: {
    dataset: string;
    k: number;
    algorithm: 'lloyd' | 'elkan';
    initRows: number[];
    centers: number[];
    inertia: number;
    nIter: number;
    labels: string;
  }[];
  kmeansEdge: {
    name: string;
    algorithm: 'lloyd' | 'elkan';
    X: number[][];
    init: number[][];
    sampleWeight: number[] | null;
    tol: number;
    labels: number[];
    centers: number[];
    inertia: number;
    nIter: number;
  }[];
  kmeansQuality: {
    dataset: string;
    k: number;
    inertiaMean: number;
    inertiaMin: number;
    purityMean: number;
  }[];
  dbscan: {
    dataset: string;
    eps: number;
    minSamples: number;
    metric: 'euclidean' | 'manhattan';
    labels: number[];
    coreSampleIndices: number[];
  }[];
}

export const clusterOracle = JSON.parse(
  readFileSync(new URL('../../fixtures/models/cluster/cluster.json', import.meta.url), 'utf8'),
) as ClusterOracle;

/** A dataset by name: the cluster oracle's own, or a shared one. */
export function clusterData(name: string): { X: Matrix; y: number[] } {
  const own = clusterOracle.datasets[name];
  if (own) {
    const bytes = Buffer.from(own.f32, 'base64');
    const f32 = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { X: matrix(Float64Array.from(f32), own.rows, own.cols), y: own.y };
  }
  const d = oracleDataset(name);
  return { X: d.X, y: d.y };
}

/** Fraction of rows whose cluster's majority class is their class. */
export function purity(labels: ArrayLike<number>, y: readonly number[]): number {
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < y.length; i++) {
    const c = counts.get(labels[i]) ?? new Map<number, number>();
    c.set(y[i], (c.get(y[i]) ?? 0) + 1);
    counts.set(labels[i], c);
  }
  let total = 0;
  for (const c of counts.values()) total += Math.max(...c.values());
  return total / y.length;
}
