/**
 * The one reader of the functions' environment (names from ENV): each wiring module asks it for exactly the
 * variables its function is given. Every failure is a ConfigError naming the variable and what it accepts.
 */
import type { BreakerPolicy } from '../../config/breaker-policy.js';
import { breakerPolicyFromEnv } from '../../config/breaker-env.js';
import { ENV } from '../../config/env-names.js';
import { type ListEndpoints, type ListsConfig, parseListsConfig } from '../../config/lists.js';

/** Raised at cold start when the environment is incomplete or malformed; names the variable. Retrying never helps. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Typed reads of one environment. */
export interface EnvReader {
  /** A non-empty string; throws when unset. */
  required(name: string): string;
  /** A non-empty string or undefined. */
  optional(name: string): string | undefined;
  /** A positive number or undefined. */
  positive(name: string): number | undefined;
  /** A number ≥ 0, or `fallback` when unset. */
  nonNegative(name: string, fallback: number): number;
  /** The lists document of NEWSBRIEF_LISTS_JSON (runs without a lists table); lists that set no URLs get `endpoints`. */
  lists(endpoints?: ListEndpoints): ListsConfig;
  /** The circuit breaker's limits over their defaults. */
  breaker(): Required<BreakerPolicy>;
}

/** A reader over `env` (process.env in the functions). */
export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  const optional = (name: string) => env[name]?.trim() || undefined;
  const required = (name: string) => {
    const value = optional(name);
    if (value === undefined) throw new ConfigError(`environment variable ${name} is not set; it must be a non-empty string`);
    return value;
  };
  const number = (name: string, accepts: (n: number) => boolean, what: string) => {
    const raw = optional(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || !accepts(n)) throw new ConfigError(`environment variable ${name} must be ${what}, got "${raw}"`);
    return n;
  };
  return {
    required,
    optional,
    positive: (name) => number(name, (n) => n > 0, 'a positive number'),
    nonNegative: (name, fallback) => number(name, (n) => n >= 0, 'a number ≥ 0') ?? fallback,
    lists(endpoints) {
      let document: unknown;
      try {
        document = JSON.parse(required(ENV.listsJson));
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        throw new ConfigError(
          `environment variable ${ENV.listsJson} must be the lists JSON (config/lists.json), but it is not JSON: ${(error as Error).message}`,
        );
      }
      return rethrown(ENV.listsJson, () => parseListsConfig(document, ENV.listsJson, endpoints));
    },
    breaker: () => rethrown('a breaker variable', () => breakerPolicyFromEnv(env)),
  };
}

// The config modules' own errors (they name the variable and every problem) become ConfigErrors, keeping the original as cause.
function rethrown<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : `${what} is invalid`, { cause: error });
  }
}
