import { DetourError } from './detour-error';

/**
 * The router was closed (`close()` on a binding's router) or shut down (`shutDown()`). A request sent after it is
 * refused at once, before any endpoint is asked or any state is touched, so that calls a shutdown races never count
 * against the endpoints; a request the shutdown ended in flight (its close ran out of grace) gets the same code, and
 * the shutdown's own cut of it counted against no endpoint.
 *
 * @param message what happened, when a binding says it its own way
 */
export class RouterClosedError extends DetourError {
  constructor(message = 'This Detour router was shut down.') {
    super('router_closed', { message });
    this.name = 'RouterClosedError';
  }
}
