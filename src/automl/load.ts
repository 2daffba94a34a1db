/**
 * `loadModel`: a model package (path, archive or registry reference) loaded with the Lathe
 * estimator classes it names — imported on demand (see estimator-catalog.ts); the tracking layer
 * cannot import the models (layering), so the jobs that load models go through here.
 *
 * @module
 */

import { type LoadedModel, loadModelPackage, type ModelRefOptions } from '../track/registry.ts';
import { loadEstimatorClasses } from './estimator-catalog.ts';

/** Loads the model at `ref` (a package path, `name@alias` or `name/version`). */
export function loadModel(ref: string, options: ModelRefOptions = {}): Promise<LoadedModel> {
  return loadModelPackage(ref, {
    ...options,
    beforeBuild: (pkg) => loadEstimatorClasses([pkg.model, pkg.preprocessing]),
  });
}
