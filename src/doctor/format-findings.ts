/** The doctor's report as a person reads it: one line per finding, its fix beneath, a count at the end. */
import type { DoctorReport } from './run-doctor.js';

const LABEL = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** Plain text, no colour: the CLI prints it as is. */
export function formatFindings(report: DoctorReport): string {
  const width = Math.max(...report.findings.map((f) => f.check.length));
  const lines = [`newsbrief doctor: ${report.domain} in ${report.region}`, ''];
  for (const f of report.findings) {
    lines.push(`${LABEL[f.status]}  ${f.check.padEnd(width)}  ${f.summary}`);
    if (f.fix && f.status !== 'ok') lines.push(`${' '.repeat(width + 8)}fix: ${f.fix}`);
  }
  const count = (status: string) => report.findings.filter((f) => f.status === status).length;
  const [fails, warns] = [count('fail'), count('warn')];
  lines.push(
    '',
    fails > 0
      ? `${fails} to fix before sending, ${warns} warning(s), ${count('ok')} ok.`
      : `Ready to send: ${count('ok')} ok${warns > 0 ? `, ${warns} warning(s)` : ''}.`,
  );
  return lines.join('\n');
}
