/**
 * A small leveled logger. fabric-shim's `newLogger(name)` returns a winston logger; we have no
 * logging dependency, so this offers the part chaincode uses (error/warn/info/debug and `level`),
 * writing one line per call to stderr. The level comes from CORE_CHAINCODE_LOGGING_LEVEL (which the
 * peer sets from `chaincode.logging.level`; fabric-shim lib/logger.js maps Fabric's level names the
 * same way), default INFO.
 */
import { format } from 'node:util';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  level: LogLevel;
  error(message: unknown, ...args: unknown[]): void;
  warn(message: unknown, ...args: unknown[]): void;
  info(message: unknown, ...args: unknown[]): void;
  debug(message: unknown, ...args: unknown[]): void;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Fabric's level names (CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG) and winston's. */
export function logLevelFrom(value: string | undefined): LogLevel {
  switch ((value ?? '').trim().toUpperCase()) {
    case 'CRITICAL':
    case 'ERROR':
      return 'error';
    case 'WARNING':
    case 'WARN':
      return 'warn';
    case 'DEBUG':
      return 'debug';
    default:
      return 'info';
  }
}

export function newLogger(name = 'shim', level: LogLevel = logLevelFrom(process.env.CORE_CHAINCODE_LOGGING_LEVEL)): Logger {
  const logger: Logger = {
    level,
    error: (m, ...a) => write('error', m, a),
    warn: (m, ...a) => write('warn', m, a),
    info: (m, ...a) => write('info', m, a),
    debug: (m, ...a) => write('debug', m, a),
  };
  function write(l: LogLevel, message: unknown, args: unknown[]): void {
    if (RANK[l] > RANK[logger.level]) return;
    process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${format(message, ...args)}\n`);
  }
  return logger;
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger: Logger = {
  level: 'error',
  error() {},
  warn() {},
  info() {},
  debug() {},
};
