/**
 * The fault suite runs in two sizes: the regular test run (`npm test`) takes a quick pass over
 * every scenario, and `npm run test:faults` sets `HYPERDB_FAULTS_FULL=1` for the full counts and
 * durations (100 race rounds, and so on).
 */
export const FULL_FAULT_SUITE = process.env.HYPERDB_FAULTS_FULL === "1";
