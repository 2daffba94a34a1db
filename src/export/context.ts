/**
 * What every converter shares: the graph being built, where in the pipeline it is (for error
 * messages), and the list of what can be exported.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { GraphBuilder } from './graph-builder.ts';

/** Preprocessing steps the exporter converts. */
export const SUPPORTED_STEPS = [
  'Pipeline',
  'ColumnTransformer',
  'SimpleImputer',
  'StandardScaler',
  'MinMaxScaler',
  'RobustScaler',
  'OneHotEncoder',
  'OrdinalEncoder',
  'DatePartExtractor',
] as const;

/** Models the exporter converts. */
export const SUPPORTED_MODELS = [
  'LinearRegression',
  'Ridge',
  'Lasso',
  'ElasticNet',
  'LogisticRegression',
  'DecisionTreeClassifier',
  'DecisionTreeRegressor',
  'RandomForestClassifier',
  'RandomForestRegressor',
  'ExtraTreesClassifier',
  'ExtraTreesRegressor',
  'HistGradientBoostingClassifier',
  'HistGradientBoostingRegressor',
] as const;

/** Where a converter is: the graph and the path of step names from the top. */
export interface ConvertContext {
  b: GraphBuilder;
  /** Step names from the top of the pipeline, e.g. ['preprocess', 'categorical', 'encode']. */
  path: readonly string[];
}

/** The context one level down, in step `name`. */
export function inStep(ctx: ConvertContext, name: string): ConvertContext {
  return { b: ctx.b, path: [...ctx.path, name] };
}

/** How a step is named in messages: `step 'preprocess › numeric › scale' (StandardScaler)`. */
export function describeStep(ctx: ConvertContext, est: Estimator | string): string {
  const type = typeof est === 'string' ? est : est.typeName;
  return ctx.path.length ? `step '${ctx.path.join(' › ')}' (${type})` : type;
}

/** The error for a step or model the exporter cannot convert. */
export function unsupported(ctx: ConvertContext, est: Estimator, role: 'step' | 'model'): ValidationError {
  const list = role === 'model' ? SUPPORTED_MODELS : SUPPORTED_STEPS;
  return new ValidationError(
    `exportOnnx: ${describeStep(ctx, est)} cannot be exported to ONNX: ${est.typeName} is not a supported ${role === 'model' ? 'model' : 'preprocessing step'}.`,
    {
      field: ctx.path.length ? ctx.path.join('__') : est.typeName,
      expected: list.join(', '),
      fix: `use one of ${list.join(', ')}${role === 'model' ? '' : `; the last step may be one of ${SUPPORTED_MODELS.join(', ')}`}`,
    },
  );
}
