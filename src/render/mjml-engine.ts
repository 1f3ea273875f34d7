/**
 * The only module that imports mjml. It knows MJML 5's quirks: mjml2html is async; includes must stay off
 * (brief text must never make it read a file); web fonts must stay off (our stack is system fonts, and
 * "Roboto" in it would otherwise pull a Google Fonts stylesheet); validation is strict so that a template
 * mistake fails loudly in tests instead of rendering a broken email.
 */
import type Mjml2Html from 'mjml';

// Loaded on the first render, not with the module: mjml costs ~0.5 s of CPU to load, and an intake
// invocation that refuses a brief (or a bundle that only imports this module's types) never renders.
let engine: Promise<typeof Mjml2Html> | undefined;
const loadMjml = () => (engine ??= import('mjml').then((module) => module.default));

/** A template produced MJML that MJML refuses: a bug in newsbrief, never in the brief. */
export class MjmlRenderError extends Error {
  override readonly name = 'MjmlRenderError';
}

/** Compiles MJML markup to HTML. */
export async function compileMjml(markup: string): Promise<string> {
  try {
    const mjml2html = await loadMjml();
    const result = await mjml2html(markup, {
      validationLevel: 'strict',
      ignoreIncludes: true,
      fonts: {},
      keepComments: false,
      minify: false,
      beautify: false,
    });
    return collapseIndentation(result.html);
  } catch (error) {
    const details = (error as { errors?: { formattedMessage?: string }[] }).errors?.map((e) => e.formattedMessage).join('; ');
    throw new MjmlRenderError(`MJML refused the generated markup: ${details || (error as Error).message}`, { cause: error });
  }
}

/**
 * Drops MJML's indentation: every run of whitespace that holds a line break becomes one line break. HTML
 * reads any whitespace run outside <pre> as one space, so nothing changes on screen, and about an eighth of the
 * bytes go (Gmail clips messages over 102 KiB). Minifiers that rewrite markup are avoided on purpose.
 */
function collapseIndentation(html: string): string {
  return html.replace(/[ \t]*\n[ \t\n]*/g, '\n');
}
