/**
 * One error base for the whole code base. `code` is stable and machine-readable (clients and
 * tests match on it), `status` is the HTTP status the API maps it to, and `expose` says
 * whether the message is safe to show to a caller (never true for wrapped driver errors,
 * whose text can carry SQL or hostnames).
 */
export interface MeridianErrorOptions {
  status?: number;
  expose?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class MeridianError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: MeridianErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
    this.details = options.details;
  }
}

/** The environment or a command line is wrong; raised at start-up, before anything runs. */
export class ConfigError extends MeridianError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('config_invalid', message, { status: 500, expose: true, details });
  }
}

/** Input from a caller failed validation. */
export class ValidationError extends MeridianError {
  constructor(message: string, details?: Record<string, unknown>, code = 'validation_failed') {
    super(code, message, { status: 400, expose: true, details });
  }
}

export class NotFoundError extends MeridianError {
  constructor(message = 'Not found', code = 'not_found') {
    super(code, message, { status: 404, expose: true });
  }
}

/** The caller is known but may not do this (a 404 is used instead where existence is private). */
export class ForbiddenError extends MeridianError {
  constructor(message: string, code = 'forbidden') {
    super(code, message, { status: 403, expose: true });
  }
}

/**
 * A service we depend on (Postgres, the search engine, Maven) is missing or failing. Its
 * message is for logs and the command line: it quotes the service's own error, which can name
 * hosts, ports, index names and internals, so the API shows callers `publicMessage` instead.
 */
export class ServiceError extends MeridianError {
  readonly publicMessage = 'A service this request needs is unavailable or failed; try again shortly (the request id helps us find out why).';

  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { status: 503, expose: false, cause });
  }
}

/** Message with its cause chain, for logs and CLI output. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as Partial<MeridianError>).code;
      parts.push(code ? `${current.message} [${code}]` : current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\n  caused by: ');
}
