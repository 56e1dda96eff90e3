import { DetourError } from './detour-error';

/**
 * The router was closed (`close()` on a binding's router): it takes no more requests. Thrown at once, before any
 * endpoint is asked or any state is touched, so that calls a shutdown races never count against the endpoints.
 */
export class RouterClosedError extends DetourError {
  constructor() {
    super('router_closed', { message: 'This Detour router was closed and takes no more requests; create a new one.' });
    this.name = 'RouterClosedError';
  }
}
