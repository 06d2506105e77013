/** Relative error, or absolute error when the reference is exactly 0. */
export const relErr = (x: number, ref: number): number => (ref === 0 ? Math.abs(x) : Math.abs(x - ref) / Math.abs(ref));
