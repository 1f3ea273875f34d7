// The newsbrief studio's script, served from /assets/studio.js: live reload, countdowns and local times, and on a
// brief's page the send (after its confirm step), proofs, and pause / resume / cancel. The pages carry what it
// needs in data- attributes; they have no inline script (the studio's Content-Security-Policy forbids it).
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: the page loads this as a classic script, not a module, so the directive is what makes it strict
  'use strict';
  const body = document.body;
  const STUDIO_ACTION = { 'x-newsbrief-studio': '1' };

  // Live updates over Server-Sent Events: a saved brief reloads its page; a send's progress moves its bar.
  if (body.dataset.live) {
    const file = body.dataset.live === 'brief' ? body.dataset.liveFile : null;
    const badge = document.querySelector('.live');
    const source = new EventSource('/events');
    source.onopen = () => badge?.classList.add('on');
    source.onerror = () => badge?.classList.remove('on');
    source.addEventListener('brief', (event) => {
      const data = JSON.parse(event.data);
      if (file === null || data.file === file) location.reload();
    });
    source.addEventListener('progress', (event) => {
      const data = JSON.parse(event.data);
      if (file === null) {
        if (data.done) location.reload();
        return;
      }
      if (data.file === file && window.newsbriefProgress) window.newsbriefProgress(data);
    });
  }

  // Countdowns run in the page from the server's "in ms" (so a wrong laptop clock cannot skew them).
  const loaded = Date.now();
  const countdowns = [...document.querySelectorAll('[data-countdown-ms]')];
  const formatIn = (ms) => {
    if (ms <= 0) return 'starting…';
    const s = Math.ceil(ms / 1000),
      d = Math.floor(s / 86400),
      h = Math.floor((s % 86400) / 3600),
      m = Math.floor((s % 3600) / 60),
      r = s % 60;
    return d ? `${d}d ${h}h` : h ? `${h}h ${String(m).padStart(2, '0')}m` : m ? `${m}m ${String(r).padStart(2, '0')}s` : `${r}s`;
  };
  const tick = () => {
    for (const cell of countdowns) cell.textContent = formatIn(Number(cell.dataset.countdownMs) - (Date.now() - loaded));
  };
  if (countdowns.length > 0) {
    tick();
    setInterval(tick, 1000);
  }

  // Scheduled times in the browser's own time zone (the server wrote its machine's, which is usually the same).
  for (const time of document.querySelectorAll('time[data-local-time]')) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const local = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    time.textContent = `${local.format(new Date(time.dateTime))} ${zone}`;
  }

  // Same-origin and script-free: the parent sizes each preview frame to its email so nothing scrolls twice.
  for (const frame of document.querySelectorAll('.previews iframe')) {
    frame.addEventListener('load', () => {
      const doc = frame.contentDocument;
      if (doc) frame.style.height = `${Math.max(300, doc.documentElement.scrollHeight + 4)}px`;
    });
  }

  const actions = document.getElementById('brief-actions');
  if (!actions) return;
  const base = actions.dataset.base;
  const inboxUrl = actions.dataset.inboxUrl;
  const button = document.getElementById('send');
  const box = document.getElementById('progress');
  const bar = document.getElementById('progress-bar');
  const title = document.getElementById('progress-title');
  const text = document.getElementById('progress-text');
  const show = (heading, line) => {
    box.classList.add('on');
    title.textContent = heading;
    if (line !== undefined) text.textContent = line;
  };

  window.newsbriefProgress = (p) => {
    box.classList.add('on');
    const total = p.total || 0;
    const handled = p.sent + p.skipped + p.failed;
    bar.style.width = `${total ? Math.round((100 * handled) / total) : p.done ? 100 : 0}%`;
    if (p.done && !p.error && p.summary?.startsWith('scheduled')) {
      // A future sendAt: nothing went out; the studio's timer starts it. The page reloads to show the schedule.
      title.textContent = 'Scheduled';
      text.textContent = p.summary;
      bar.style.width = '0%';
      location.reload();
      return;
    }
    title.textContent = p.done ? (p.error ? 'Send stopped' : 'Done') : 'Sending…';
    text.textContent = `${p.error ? `${p.error} — ` : ''}${p.sent} sent${total ? ` of ${total}` : ''}, ${p.skipped} skipped as already sent, ${p.suppressed} suppressed, ${p.failed} failed`;
    if (p.done) {
      const link = document.createElement('a');
      link.href = inboxUrl;
      link.target = '_blank';
      link.className = 'inbox-link';
      link.textContent = 'Open the local inbox ↗';
      text.append(link);
      if (button) button.disabled = false;
      const badge = document.querySelector('[data-testid=status]');
      if (badge && !p.error) {
        badge.textContent = 'sent';
        badge.className = 'badge sent';
      }
    }
  };

  // Send asks first: the confirm box names the list, how many subscribers get it, and when.
  const confirmBox = document.getElementById('send-confirm');
  const confirmForm = document.getElementById('send-confirm-form');
  if (button && confirmBox && confirmForm) {
    button.addEventListener('click', () => {
      button.disabled = true;
      confirmBox.hidden = false;
      document.getElementById('send-confirm-yes').focus();
    });
    document.getElementById('send-confirm-no').addEventListener('click', () => {
      confirmBox.hidden = true;
      button.disabled = false;
      button.focus();
    });
    confirmForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      confirmBox.hidden = true;
      show('Starting…');
      const response = await fetch(`${base}/send`, {
        method: 'POST',
        headers: { ...STUDIO_ACTION, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(confirmForm)),
      });
      if (!response.ok) {
        show('Not sent', await response.text());
        button.disabled = false;
      }
    });
  }

  const proof = document.getElementById('proof');
  if (proof) {
    proof.addEventListener('click', async () => {
      proof.disabled = true;
      show('Sending a proof…');
      bar.style.width = '0%';
      const response = await fetch(`${base}/proof`, { method: 'POST', headers: STUDIO_ACTION });
      show(response.ok ? 'Proof' : 'Proof not sent', await response.text());
      proof.disabled = false;
    });
  }

  // Pause / Resume / Cancel of a started issue (the same use-cases as `newsbrief issue`), and cancelling a schedule.
  const questions = {
    cancel: () => 'Cancel this issue for good? Its remaining recipients get nothing, and it cannot be resumed.',
    unschedule: () => 'Cancel this schedule? Nothing is sent at its time; Schedule sets it again.',
  };
  for (const control of document.querySelectorAll('[data-issue-action]')) {
    control.addEventListener('click', async () => {
      const action = control.dataset.issueAction;
      const breaker = control.dataset.breaker;
      if (questions[action] && !confirm(questions[action]())) return;
      if (
        action === 'resume' &&
        breaker !== undefined &&
        !confirm(`The circuit breaker stopped this issue: ${breaker}\n\nResume it anyway? The override is recorded in its report.`)
      )
        return;
      control.disabled = true;
      const response = await fetch(`${base}/${action}${breaker !== undefined ? '?override-breaker=1' : ''}`, {
        method: 'POST',
        headers: STUDIO_ACTION,
      });
      if (response.ok) {
        location.reload();
        return;
      }
      show('Not done', await response.text());
      control.disabled = false;
    });
  }
})();
