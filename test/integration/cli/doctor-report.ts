// Doctor's report computed in the test's own process by runDoctor, the function
// behind `rowscope doctor --json` (src/cli/commands/doctor.ts). The finding
// tests run doctor dozens of times, and a CLI child costs ~0.8 s of start-up
// each; what the command adds to the report (JSON, text, exit code, the version
// override) is checked through the real CLI in doctor.test.ts and
// doctor-catalog.test.ts.
import { withClient } from '../../../src/db/client.ts';
import { runDoctor, type DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { clusterLock } from './run-cli.ts';

/** Doctor's report on `url`, judging the CVE lints by `serverVersionNum`; holds the cluster lock shared. */
export function doctorReport(url: string, serverVersionNum: number): Promise<DoctorReport> {
  return clusterLock('shared', () => withClient(url, (client) => runDoctor(client, { serverVersionNum })));
}
