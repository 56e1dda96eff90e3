// The pieces the microbenchmark times one by one. Some are internal (selection is not a public promise), so the
// bench bundles them from source rather than importing the published entries.
export { createRouter } from '../src/engine/router';
export { createMemoryStore } from '../src/state/memory-store';
export { admitThroughBreaker, recordBreakerResult } from '../src/breaker/breaker';
export { isAvailable } from '../src/engine/endpoint-availability';
export { classifyResponse } from '../src/classification/classify-response';
export { routerOptionsSchema } from '../src/options/router-options-schema';
export { createSelectionState, selectEndpoint } from '../src/selection/select-endpoint';
export { recordLatency } from '../src/selection/peak-ewma';
