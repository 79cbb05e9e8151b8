import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '../auth/decorators';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    code: { type: 'string', description: 'Domain or workflow rejection code, when there is one' },
  },
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
});

/**
 * Documents the errors every operation can answer, from what the global guards and pipes do
 * rather than by hand on each route: 401/403 on guarded operations, 400 where input is validated,
 * 404 where a path names something, 415 and 413 on writes, 429 on login.
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, ErrorResponse: ERROR_SCHEMA };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method] as (Operation & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const responses = operation.responses;
      const add = (status: string, description: string): void => {
        responses[status] ??= error(description);
      };
      if (operation[PUBLIC_EXTENSION] !== true) {
        operation.security = [{ bearer: [] }];
        add('401', 'Missing, expired, revoked or forged access token');
        add('403', 'The role or unit may not take this action');
      }
      // Every write parses a JSON body (malformed JSON is a 400 even where none is expected).
      if ((operation.parameters ?? []).length > 0 || operation.requestBody || method !== 'get') {
        add('400', 'Invalid input; the message says which field and why');
      }
      if (path.includes('{')) add('404', 'What the path names does not exist');
      if (method !== 'get') {
        add('413', 'Request body too large');
        add('415', 'The body is not JSON in UTF-8');
      }
      if (path === '/api/auth/login') add('429', 'Too many failed logins; try again later');
    }
  }
  return document;
}
