import type { ValueTransformer } from 'typeorm';

// pg returns bigint as a string to avoid precision loss; item counts and round generations stay far below 2^53.
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
