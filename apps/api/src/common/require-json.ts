import type { NextFunction, Request, Response } from 'express';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Writes with a body must send JSON: anything else would reach the validators as an empty object
 * and answer with a misleading list of missing fields. Answers 415 in the common error shape.
 */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (!WRITES.has(req.method) || !hasBody) {
    next();
    return;
  }
  if (req.is('application/json')) {
    // JSON is UTF-8 (RFC 8259); a body declared in another charset would be misread, not decoded.
    const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2];
    if (!charset || /^utf-?8$/i.test(charset)) {
      next();
      return;
    }
  }
  res.status(415).json({
    statusCode: 415,
    error: 'Unsupported Media Type',
    message: `请求体须为 JSON（Content-Type: application/json），收到 ${req.headers['content-type'] ?? '无 Content-Type'}`,
  });
}
