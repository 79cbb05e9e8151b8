import { BadRequestException } from '@nestjs/common';
import { updateIdFor } from './task-quarter-actions.service';

describe('updateIdFor', () => {
  const user = { id: 'u1' };

  it('scopes the Idempotency-Key to the action and the user', () => {
    expect(updateIdFor('submit', user, 'abc-1')).toBe('submit:u1:abc-1');
    expect(updateIdFor('submit', { id: 'u2' }, 'abc-1')).not.toBe(
      updateIdFor('submit', user, 'abc-1'),
    );
    expect(updateIdFor('review', user, 'abc-1')).not.toBe(updateIdFor('submit', user, 'abc-1'));
  });

  it('makes a fresh id without a key', () => {
    expect(updateIdFor('submit', user, undefined)).not.toBe(updateIdFor('submit', user, undefined));
  });

  it('refuses keys that are too long or hold odd characters', () => {
    expect(() => updateIdFor('submit', user, 'x'.repeat(129))).toThrow(BadRequestException);
    expect(() => updateIdFor('submit', user, 'a b')).toThrow(BadRequestException);
  });
});
