import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
const fetch = createFetch({ endpoints: [
  { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: process.env.OPENAI_API_KEY, priority: 0 },
  { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: process.env.GROQ_API_KEY, provider: 'groq',
    apis: ['chat'], priority: 1, models: { 'gpt-4.1-mini': 'llama-3.3-70b-versatile' } },
  { name: 'claude', baseUrl: 'https://api.anthropic.com/v1', apiKey: process.env.ANTHROPIC_API_KEY, provider: 'anthropic', priority: 0 },
  { name: 'claude-2', baseUrl: 'https://api.anthropic.com/v1', apiKey: process.env.ANTHROPIC_KEY_2, provider: 'anthropic', priority: 1 },
] });
const openai = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
await openai.responses.create({ model: 'gpt-4.1-mini', input: 'Hi' });
const claude = new Anthropic({ apiKey: 'unused', maxRetries: 0, fetch });
await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
