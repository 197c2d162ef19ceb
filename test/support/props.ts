/** Fixed property-test budgets for CI; `CCPROTO_PROP_RUNS` raises them for longer local runs. */
export function propRuns(ciDefault: number): number {
  const env = Number(process.env.CCPROTO_PROP_RUNS);
  return Number.isFinite(env) && env > 0 ? env : ciDefault;
}
