import { mix } from './random';

/** Where a generated calendar item sits in a recurring series: the series' first item, its position, its length. */
export interface SeriesPlace {
  root: number;
  index: number;
  count: number;
}

/** Series are runs of consecutive base ordinals this long at most. */
const SERIES_LENGTH = 8;

/**
 * Base calendar items come in blocks of eight ordinals; about one block in four is one weekly series (one item per
 * occurrence), the rest are single events. Items added later are single. A pure function, so generators stay pure.
 */
export function seriesPlace(
  seed: number,
  salt: number,
  ordinal: number,
  size: number,
): SeriesPlace | undefined {
  if (ordinal >= size) return undefined;
  const block = Math.floor(ordinal / SERIES_LENGTH);
  if (mix(seed ^ salt, block) % 4 !== 0) return undefined;
  const root = block * SERIES_LENGTH;
  const count = Math.min(SERIES_LENGTH, size - root);
  return count < 2 ? undefined : { root, index: ordinal - root, count };
}
