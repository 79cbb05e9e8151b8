import { ValidateBy, type ValidationOptions } from 'class-validator';
import { LIMITS } from '@duban/contracts';

/** Figures are a flat object of at most LIMITS.figures short keys with number or short string values. */
export function isFigures(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length > LIMITS.figures) return false;
  return entries.every(
    ([key, v]) =>
      key.length > 0 &&
      key.length <= LIMITS.figureKeyChars &&
      ((typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && v.length <= LIMITS.figureValueChars)),
  );
}

export function IsFigures(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFigures',
      validator: {
        validate: (value: unknown) => isFigures(value),
        defaultMessage: () =>
          `figures must be an object of at most ${LIMITS.figures} entries, keys up to ${LIMITS.figureKeyChars} characters, values numbers or strings up to ${LIMITS.figureValueChars} characters`,
      },
    },
    options,
  );
}
