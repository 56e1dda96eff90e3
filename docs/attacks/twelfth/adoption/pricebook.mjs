// docs/pricing.md "only the fields you give change" vs "cache reads default to the input price"
import { createPriceBook } from '@detour/core';
const builtin = createPriceBook().priceOf('gpt-4.1');
const over = createPriceBook([{ model: 'gpt-4.1', inputPerMTok: 1.6, outputPerMTok: 6.4 }]).priceOf('gpt-4.1');
console.log('builtin', JSON.stringify(builtin)); console.log('override', JSON.stringify(over));
