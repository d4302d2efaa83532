/** Minimal typings for the parts of jStat we use (the package ships none). */
declare module 'jstat' {
  interface StudentT {
    /** Inverse CDF: the quantile q with P(T ≤ q) = p for `dof` degrees of freedom. */
    inv(p: number, dof: number): number;
    /** Cumulative distribution function P(T ≤ x). */
    cdf(x: number, dof: number): number;
  }
  const jStat: { studentt: StudentT };
  export default jStat;
}
