/**
 * What the plan messages of an issue carry from its rendered copy: who it is for, and which subscriber fields
 * its merge tags fill. Taken once when planning starts (or starts again), so that planning never reads the
 * rendered issue and a send job holds only the fields it needs.
 */
import type { PlanMessage } from '../model.js';
import type { RenderedIssue } from '../render/render-issue.js';
import { fieldNamesOf } from '../render/slots.js';

/** The audience and the used fields of a rendered issue, as plan-message properties (absent ones left out). */
export function planScopeOf(rendered: RenderedIssue): Pick<PlanMessage, 'audience' | 'fields'> {
  const fields = fieldNamesOf(rendered.subject, rendered.html, rendered.text);
  return { ...(rendered.audience ? { audience: rendered.audience } : {}), ...(fields.length > 0 ? { fields } : {}) };
}
