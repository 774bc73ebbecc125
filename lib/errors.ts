/** @module The one error type at the HTTP edge; inside the pipeline errors are values (StepResult). */

export type ErrorCode =
  | 'NotFound'
  | 'BadRequest'
  | 'RunInProgress'
  | 'NeedsAuth'
  | 'Internal'
  | 'Unauthorized'
  | 'ForbiddenHost'
  | 'ForbiddenOrigin'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'ImportRefused'

const STATUS: Record<ErrorCode, number> = {
  NotFound: 404,
  BadRequest: 400,
  RunInProgress: 409,
  NeedsAuth: 401,
  Internal: 500,
  Unauthorized: 401,
  ForbiddenHost: 403,
  ForbiddenOrigin: 403,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  ImportRefused: 422,
}

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.status = STATUS[code]
  }
  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}

/** A landing file that is not what it claims to be; it stays in landing and the reason is reported. */
export class RefusedFile extends Error {}
