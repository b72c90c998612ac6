import pino, { type Logger } from 'pino';

/** JSON-lines logger with keys, emails and phones redacted wherever they appear in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['*.email', '*.phone', '*.writeKey', '*.secretKey', 'headers.authorization', '*.traits', 'err.config'],
      censor: '[redacted]',
    },
  });
}
