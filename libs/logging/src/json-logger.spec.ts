import { JsonLogger, nestLogLevels } from './json-logger';

describe('JsonLogger', () => {
  const capture = (minimum: 'debug' | 'info' | 'warn' | 'error' = 'info') => {
    const lines: string[] = [];
    const logger = new JsonLogger('api', minimum, (line) => lines.push(line));
    const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    return { logger, records };
  };

  it('writes one parseable object per line with level, context and service', () => {
    const { logger, records } = capture();
    logger.log('listening on port 3000', 'Bootstrap');
    logger.warn('slow query');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'listening on port 3000',
        context: 'Bootstrap',
        service: 'api',
      }),
      expect.objectContaining({ level: 'warn', msg: 'slow query' }),
    ]);
    expect(Date.parse(records()[0].time as string)).not.toBeNaN();
  });

  it("keeps Nest's error stack and context apart", () => {
    const { logger, records } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    logger.error(new Error('lost connection'), 'Worker');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'boom',
        stack: 'Error: boom\n    at x',
        context: 'ExceptionsHandler',
      }),
      expect.objectContaining({ level: 'error', msg: 'lost connection', context: 'Worker' }),
    ]);
  });

  it('drops records below the configured level', () => {
    const { logger, records } = capture('warn');
    logger.log('noise');
    logger.debug('more noise');
    logger.record('error', 'kept', { taskQueue: 'duban' });
    expect(records()).toEqual([expect.objectContaining({ msg: 'kept', taskQueue: 'duban' })]);
  });

  it('maps the level to Nest levels for the pretty format', () => {
    expect(nestLogLevels('warn')).toEqual(['warn', 'error', 'fatal']);
    expect(nestLogLevels('info')).toContain('log');
  });
});
