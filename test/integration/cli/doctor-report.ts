// Doctor's report for the doctor test files, both ways. In the test's own
// process by runDoctor, the function behind `rowscope doctor --json`
// (src/cli/commands/doctor.ts): the finding tests run doctor dozens of times,
// and a CLI child costs ~0.4–0.8 s of start-up each. Through the real command
// for what it adds to the report (JSON, text, exit code, the version override),
// checked in doctor.test.ts and doctor-catalog.test.ts. Both judge the CVE
// lints by `version` (a server_version_num, as ROWSCOPE_DOCTOR_SERVER_VERSION_NUM
// takes it) and hold the cluster lock shared (run-cli.ts clusterLock).
import { withClient } from '../../../src/db/client.ts';
import { runDoctor, type DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { clusterLock, runCli } from './run-cli.ts';

/** The report on `url`, computed in this process. */
export function doctorReport(url: string, version: string): Promise<DoctorReport> {
  return clusterLock('shared', () => withClient(url, (client) => runDoctor(client, { serverVersionNum: Number(version) })));
}

/** `rowscope doctor --json` on `url`: the command's run (exit code, output) and its report. */
export function doctorCliReport(url: string, version: string) {
  return clusterLock('shared', async () => {
    const run = await runCli(['doctor', '--json'], { databaseUrl: url, env: { ROWSCOPE_DOCTOR_SERVER_VERSION_NUM: version } });
    return { run, report: JSON.parse(run.stdout) as DoctorReport };
  });
}
