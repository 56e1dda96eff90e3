/** Priority classes of the admission queue. */
export type Priority = 'high' | 'normal' | 'low';

/** The priority classes, highest first. */
export const priorities: readonly Priority[] = ['high', 'normal', 'low'];

/** The header a caller (or the gateway) names a request's priority in. */
export const priorityHeader = 'x-detour-priority';

/**
 * Reads a priority from text (`x-detour-priority`); anything but `high`, `normal` or `low` is undefined, so a
 * hostile header changes nothing. Pure.
 */
export const parsePriority = (value: unknown): Priority | undefined => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return text === 'high' || text === 'normal' || text === 'low' ? text : undefined;
};
