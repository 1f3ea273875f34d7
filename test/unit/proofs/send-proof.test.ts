import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { intakeBrief } from '../../../src/pipeline/intake-brief.js';
import { sendProof } from '../../../src/proofs/send-proof.js';
import { PROOF_NOTICE } from '../../../src/render/render-issue.js';
import { fixtureBrief, memoryWorld, ScriptedMailer, seedSubscribers, testKeyring, testLists } from '../../support/fakes.js';

function world() {
  const mailer = new ScriptedMailer();
  const w = memoryWorld(mailer);
  return { ...w, mailer, proofDeps: { ledger: w.ledger, mailer, lists: testLists, keyring: testKeyring, clock: w.clock } };
}
const brief = fixtureBrief('valid/minimal.json');
const proofRecipients = testLists.lists.get('weekly')!.proofRecipients;

describe('sendProof', () => {
  it("mails the list's proof recipients only, with [PROOF] before the subject and a proof banner", async () => {
    const w = world();
    await seedSubscribers(w.subscribers, 'weekly', 5);

    const result = await sendProof(w.proofDeps, { bytes: brief, sourceName: 'minimal.json', nonce: 'n1' });

    expect(result.status).toBe('sent');
    expect(w.mailer.sent.map((m) => m.to)).toEqual(proofRecipients);
    const parsed = await simpleParser(w.mailer.sent[0]!.raw);
    expect(parsed.subject).toBe('[PROOF] This week in brief');
    expect(String(parsed.html)).toContain(PROOF_NOTICE);
    expect(parsed.text).toMatch(/^PROOF: /);
  });

  it('leaves the real issue untouched: unclaimed, and its send afterwards goes to every subscriber', async () => {
    const w = world();
    await seedSubscribers(w.subscribers, 'weekly', 3);
    await sendProof(w.proofDeps, { bytes: brief, sourceName: 'minimal.json', nonce: 'n1' });

    expect(await w.ledger.getIssue({ list: 'weekly', id: 'minimal' })).toBeUndefined();
    await w.blobs.put('briefs/minimal.json', brief, 'application/json');
    const intake = await intakeBrief(w.intakeDeps, 'briefs/minimal.json');
    expect(intake.status).toBe('accepted');
  });

  it('sends again for every new proof, and once for a redelivered one', async () => {
    const w = world();
    await sendProof(w.proofDeps, { bytes: brief, sourceName: 'minimal.json', nonce: 'n1' });
    await sendProof(w.proofDeps, { bytes: brief, sourceName: 'minimal.json', nonce: 'n2' });
    const again = await sendProof(w.proofDeps, { bytes: brief, sourceName: 'minimal.json', nonce: 'n2' });

    expect(w.mailer.sent).toHaveLength(2 * proofRecipients.length);
    expect(again).toMatchObject({ status: 'sent', sentTo: [], skipped: proofRecipients });
  });

  it('refuses an invalid brief with its problems and mails nobody', async () => {
    const w = world();
    const result = await sendProof(w.proofDeps, { bytes: Buffer.from('{"version":1}'), sourceName: 'bad.json', nonce: 'n1' });
    expect(result.status).toBe('refused');
    expect(w.mailer.sent).toHaveLength(0);
  });
});
