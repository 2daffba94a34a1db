/**
 * The saved cluster labels of KMeans and DBSCAN: one per training row, each naming a cluster
 * (or -1, noise, for DBSCAN).
 *
 * @module
 */

import { damagedState } from '../../core/saved-state.ts';

/** Throws unless every label is in min..max. */
export function checkLabels(who: string, labels: Int32Array, min: number, max: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < min || v > max) {
      throw damagedState(who, 'labels', `holds ${v} at index ${i}, not a cluster in ${min}..${max}`);
    }
  }
}
