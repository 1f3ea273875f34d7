/** Checks of the SES account: out of the sandbox, and the quota left. Pure: GetSendQuota's answer in, findings out. */
import { type Finding, finding } from './finding.js';
import type { SendQuota } from './sender-account.js';

/** The sandbox's daily quota: SES gives new accounts 200 messages per 24 hours at 1 per second. */
export const SANDBOX_DAILY_QUOTA = 200;

/** The account has production access: in the sandbox SES delivers only to verified addresses. */
export function checkProductionAccess(quota: SendQuota, region: string): Finding {
  if (quota.max24HourSend !== -1 && quota.max24HourSend <= SANDBOX_DAILY_QUOTA) {
    return finding(
      'production-access',
      'fail',
      `The SES account in ${region} is in the sandbox (quota ${quota.max24HourSend}/24 h, ${quota.maxSendRate}/s): it delivers only to verified addresses.`,
      `request production access: \`aws sesv2 put-account-details --production-access-enabled --mail-type MARKETING --website-url <your site> --use-case-description "Opt-in newsletters with one-click unsubscribe" --region ${region}\`, or in the console: Amazon SES → Account dashboard → Request production access. AWS answers within a day.`,
    );
  }
  return finding('production-access', 'ok', `The SES account in ${region} has production access.`);
}

/** The quota, and whether the last 24 hours used most of it (a send now would pause when it runs out). */
export function checkQuota(quota: SendQuota, region: string): Finding {
  const daily = quota.max24HourSend === -1 ? 'unlimited' : `${quota.max24HourSend.toLocaleString('en')}/24 h`;
  const summary = `Quota ${daily} at ${quota.maxSendRate}/s; ${quota.sentLast24Hours.toLocaleString('en')} sent in the last 24 hours.`;
  const raise = `ask for more in Service Quotas (\`aws service-quotas list-service-quotas --service-code ses --region ${region}\`) or the SES console (Account dashboard → Sending quota); set -c maxSendRate to the new rate and deploy.`;
  if (quota.max24HourSend !== -1 && quota.max24HourSend > 0 && quota.sentLast24Hours >= 0.8 * quota.max24HourSend) {
    const left = Math.max(0, quota.max24HourSend - quota.sentLast24Hours);
    return finding(
      'quota',
      'warn',
      `${summary} Only ${left.toLocaleString('en')} left: a large issue pauses until the rolling window frees quota.`,
      raise,
    );
  }
  return finding('quota', 'ok', summary);
}
