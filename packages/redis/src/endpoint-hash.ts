import { createModelCooldowns, type FleetEndpointState } from '@detour/core/store';

/** Hash fields of one endpoint, as Redis stores them. API keys are never among them. */
export const endpointFields = {
  cooldownUntil: 'cooldownUntil',
  disabledUntil: 'disabledUntil',
  /** The credential fingerprint the disable was earned with (core's `EndpointState.disabledBy`), not the key. */
  disabledBy: 'disabledBy',
  reason: 'reason',
  breakerPosition: 'breakerPosition',
  breakerOpenUntil: 'breakerOpenUntil',
  breakerGeneration: 'breakerGeneration',
  breakerTrips: 'breakerTrips',
} as const;

/** The field of a per-model cooldown: `model:<public model name>`. */
export const modelField = (model: string): string => `model:${model}`;

/** A stored number, or 0 for none or anything that is not a finite number. */
export const storedNumber = (value: string | undefined): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

/**
 * Reads an endpoint hash (`HGETALL` as an object, or the flat `[field, value, …]` list a Lua script publishes) into
 * the fleet's view of the endpoint.
 */
export const readEndpointHash = (hash: Readonly<Record<string, string>> | readonly string[]): FleetEndpointState => {
  // Field names hold caller-chosen model names (`model:__proto__`): prototype-free maps, own keys only.
  const fields = Object.create(null) as Record<string, string>;
  if (Array.isArray(hash)) {
    for (let index = 0; index + 1 < hash.length; index += 2) fields[hash[index]!] = hash[index + 1]!;
  } else {
    for (const field of Object.keys(hash)) fields[field] = (hash as Readonly<Record<string, string>>)[field]!;
  }
  const modelCooldowns = createModelCooldowns();
  for (const field of Object.keys(fields)) {
    if (field.startsWith('model:')) modelCooldowns[field.slice('model:'.length)] = storedNumber(fields[field]);
  }
  const position = fields[endpointFields.breakerPosition];
  return {
    cooldownUntil: storedNumber(fields[endpointFields.cooldownUntil]),
    disabledUntil: storedNumber(fields[endpointFields.disabledUntil]),
    disabledBy: fields[endpointFields.disabledBy] || undefined,
    modelCooldowns,
    reason: fields[endpointFields.reason],
    breaker: position === 'open' || position === 'closed'
      ? {
        position,
        openUntil: storedNumber(fields[endpointFields.breakerOpenUntil]),
        generation: storedNumber(fields[endpointFields.breakerGeneration]),
        trips: storedNumber(fields[endpointFields.breakerTrips]),
      }
      : undefined,
  };
};
