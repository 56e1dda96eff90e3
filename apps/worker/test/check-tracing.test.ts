import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('@opentelemetry/exporter-trace-otlp-http');
  vi.resetModules();
});

describe('--check and tracing', () => {
  it('fails for "otlp" where a start would, when its packages are missing, naming what to install', async () => {
    vi.doMock('@opentelemetry/exporter-trace-otlp-http', () => {
      throw new Error("Cannot find package '@opentelemetry/exporter-trace-otlp-http'");
    });
    const { checkTracing } = await import('../src/node/setup-tracing');
    await expect(checkTracing('otlp')).rejects.toThrow(/tracing: "otlp" needs .*\(npm i @opentelemetry\/sdk-trace-node @opentelemetry\/exporter-trace-otlp-http/);
    // The other modes load nothing.
    await expect(checkTracing('auto')).resolves.toBeUndefined();
    await expect(checkTracing('off')).resolves.toBeUndefined();
  });

  it('passes "otlp" when the packages are installed, registering nothing', async () => {
    const { checkTracing } = await import('../src/node/setup-tracing');
    await expect(checkTracing('otlp')).resolves.toBeUndefined();
  });
});
