/**
 * Which task a target column asks for, when the user says `--task auto`.
 *
 * Rules (documented in docs/train.md):
 * - a categorical, boolean or text target is classification: binary with two classes,
 *   multiclass with more;
 * - a numeric target whose values are all integers and that has at most
 *   {@link MAX_INTEGER_CLASSES} distinct values is classification too (0/1 flags, ratings);
 * - any other numeric target is regression;
 * - datetime targets are refused.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type Column, columnLength, isMissing } from '../data/column.ts';
import type { LearningTask } from './families.ts';

/** Integer targets with up to this many distinct values are treated as classes. */
export const MAX_INTEGER_CLASSES = 10;

/** The task a target column implies. */
export function detectTask(target: Column): Exclude<LearningTask, 'clustering'> {
  const n = columnLength(target);
  const distinct = new Set<string | number>();
  let allIntegers = true;
  for (let i = 0; i < n; i++) {
    if (isMissing(target, i)) continue;
    switch (target.type) {
      case 'numeric': {
        const v = target.values[i];
        if (!Number.isInteger(v)) allIntegers = false;
        if (distinct.size <= MAX_INTEGER_CLASSES) distinct.add(v);
        break;
      }
      case 'categorical':
        distinct.add(target.codes[i]);
        break;
      case 'boolean':
        distinct.add(target.values[i]);
        break;
      case 'text':
        distinct.add(target.values[i]!);
        break;
      case 'datetime':
        throw new ValidationError(
          `The target '${target.name}' is a datetime column; Lathe cannot predict datetimes.`,
          {
            field: 'target',
            fix: 'pick a numeric or categorical target, or derive one (e.g. days until an event)',
          },
        );
    }
  }
  if (distinct.size < 2) {
    throw new ValidationError(
      `The target '${target.name}' has ${distinct.size === 0 ? 'no values' : 'a single value'}; there is nothing to learn.`,
      { field: 'target', fix: 'check the target column name and the data' },
    );
  }
  if (target.type === 'numeric' && !(allIntegers && distinct.size <= MAX_INTEGER_CLASSES))
    return 'regression';
  return distinct.size === 2 ? 'binary' : 'multiclass';
}
