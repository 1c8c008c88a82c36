// rowscope doctor: check a live database against the rules a secured database
// must keep (docs/reference.md); exit 1 when any error-level lint finds something.
import { Command } from 'commander';
import { withClient } from '../../db/client.ts';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out, progress } from '../output.ts';
import { NotSecured, runDoctor, type DoctorOptions, type DoctorReport } from '../doctor/lints.ts';
import { plural } from './shared.ts';

export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.level === 'error' ? 'error' : 'warn '} ${f.lint}: ${f.object}`);
    lines.push(`      ${f.message}`);
    lines.push(`      fix: ${f.remedy}`);
  }
  const passed = report.checks.filter((c) => c.passed).length;
  if (report.findings.length === 0) {
    lines.push(`ok: all ${report.checks.length} checks passed`);
  } else {
    lines.push(`${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}; ${passed} of ${report.checks.length} checks passed`);
  }
  return lines.join('\n');
}

/**
 * ROWSCOPE_DOCTOR_SERVER_VERSION_NUM (e.g. 170001) makes the CVE lints judge
 * that version instead of the server's: the tests need an unpatched and a
 * patched server without installing either. Read here only, never by the
 * lints themselves.
 */
export function doctorOptions(env = process.env): DoctorOptions {
  const text = env.ROWSCOPE_DOCTOR_SERVER_VERSION_NUM;
  if (text === undefined || text === '') return {};
  if (!/^[1-9][0-9]{4,5}$/.test(text)) {
    throw new CliError(`ROWSCOPE_DOCTOR_SERVER_VERSION_NUM must be a server_version_num such as 170002, not ${JSON.stringify(text)}`);
  }
  return { serverVersionNum: Number(text) };
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check a live database: RLS enabled and forced, policies on indexed columns, user roles without SUPERUSER/BYPASSRLS, dangerous privileges, ownership or secured-column grants, pinned definer functions, api views, access classes, rowscope_authenticator, closure tables, PostgreSQL RLS CVEs')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const options = doctorOptions();
      await withDatabase(async (db) => {
        if (!opts.json) progress(`checking ${db.label}`);
        let report: DoctorReport;
        try {
          report = await withClient(db.url, (client) => runDoctor(client, options));
        } catch (error) {
          if (error instanceof NotSecured) throw new CliError(error.message);
          throw error;
        }
        out(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
        if (!report.ok) process.exitCode = 1;
      });
    });
}
