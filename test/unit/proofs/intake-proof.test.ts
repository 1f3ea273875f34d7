import { describe, expect, it } from 'vitest';
import { intakeProof } from '../../../src/proofs/intake-proof.js';
import { fixtureBrief, memoryWorld, ScriptedMailer, testKeyring, testLists } from '../../support/fakes.js';

function world() {
  const mailer = new ScriptedMailer();
  const w = memoryWorld(mailer);
  return { ...w, mailer, deps: { blobs: w.blobs, ledger: w.ledger, mailer, lists: testLists, keyring: testKeyring, clock: w.clock } };
}

describe('intakeProof', () => {
  it('sends the proof of a brief dropped under proofs/, once per upload version', async () => {
    const w = world();
    await w.blobs.put('proofs/weekly/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    expect(await intakeProof(w.deps, 'proofs/weekly/minimal.json', 'version-1')).toMatchObject({
      status: 'sent',
      sentTo: testLists.lists.get('weekly')!.proofRecipients,
    });
    expect(await intakeProof(w.deps, 'proofs/weekly/minimal.json', 'version-1')).toMatchObject({ status: 'sent', sentTo: [] });
    expect(await intakeProof(w.deps, 'proofs/weekly/minimal.json', 'version-2')).toMatchObject({ status: 'sent', skipped: [] });
  });

  it('writes a problem report for a refused proof and ignores other keys', async () => {
    const w = world();
    await w.blobs.put('proofs/bad.json', Buffer.from('{"version":2}'), 'application/json');
    expect((await intakeProof(w.deps, 'proofs/bad.json', 'v')).status).toBe('refused');
    expect(JSON.parse(w.blobs.text('reports/proofs/bad.json.problems.json')!).problems.length).toBeGreaterThan(0);
    expect((await intakeProof(w.deps, 'briefs/x.json', 'v')).status).toBe('ignored');
    expect(w.mailer.sent).toHaveLength(0);
  });
});
