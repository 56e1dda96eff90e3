/**
 * What a Redis refusal of the store's credentials says, in words safe to show anywhere (a health page, a log): the
 * server by host and port, the refusal by its code. Never the password, the user or the URL: `where` names the
 * server already (`describeRedisUrl`), and Redis's own text is not echoed. Undefined for any other error: an
 * outage (Redis down, slow, restarting) heals by itself, a refused password only when the configuration changes.
 */
export const authFault = (error: unknown, where: string): string | undefined => {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  const { message } = error;
  // ioredis sends AUTH from the URL's credentials on each connection; a server that needs one and got none answers
  // its ready check (INFO) with NOAUTH.
  if (message.startsWith('WRONGPASS')) return `${where} refused the store's credentials (WRONGPASS): the user or password in the store's URL is wrong`;
  if (message.startsWith('NOAUTH')) return `${where} requires a password (NOAUTH) and the store's URL gives none`;
  if ((error as { command?: { name?: unknown } }).command?.name === 'auth') return `${where} refused the store's AUTH`;
  return undefined;
};
