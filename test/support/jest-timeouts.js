/**
 * Applies the tier's timeout (jest.config.js, TIMEOUT_MS) to every test and hook of the file, so no
 * test file sets its own.
 */
/* global jest */
const timeout = globalThis.TIER_TIMEOUT_MS;
if (typeof timeout !== 'number') throw new Error('jest.config.js gives this project no TIER_TIMEOUT_MS');
jest.setTimeout(timeout);
