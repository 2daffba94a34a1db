/** models/inspection: model-agnostic inspection (permutation importance). */
export {
  type PermutationImportanceOptions,
  type PermutationImportanceResult,
  permutationImportance,
  type Scorable,
} from './permutation-importance.ts';
