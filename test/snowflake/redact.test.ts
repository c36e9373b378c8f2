import { expect, test } from 'vitest';
import { Redactor } from '../../src/engine/snowflake/redact.js';

test('known secrets are removed wherever they appear, encoded or not', () => {
  const r = new Redactor(['p@ss w0rd!', undefined, 'tok-abcdef']);
  const text = 'login p@ss w0rd! then p%40ss%20w0rd! and {"x":"tok-abcdef"}';
  const out = r.redact(text);
  expect(out).not.toContain('p@ss w0rd!');
  expect(out).not.toContain('p%40ss%20w0rd!');
  expect(out).not.toContain('tok-abcdef');
  expect(out).toBe('login [redacted] then [redacted] and {"x":"[redacted]"}');
});

test('credential-shaped text is removed even when the value is unknown', () => {
  const r = new Redactor();
  const lines = [
    'Authorization: Snowflake Token="ver:1-hint:123-ETMsDgAAAY"',
    '{"data":{"PASSWORD":"s3cret!","LOGIN_NAME":"DEMO"}}',
    'jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBLkIifQ.c2lnbmF0dXJl end',
    'password=hunter2&user=bob',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----',
    'Authorization: Bearer abc.def.ghi',
  ];
  const out = lines.map((l) => r.redact(l));
  expect(out[0]).toBe('Authorization: Snowflake Token="[redacted]"');
  expect(out[1]).toBe('{"data":{"PASSWORD":[redacted],"LOGIN_NAME":"DEMO"}}');
  expect(out[2]).toBe('jwt [redacted] end');
  expect(out[3]).toBe('password=[redacted]&user=bob');
  expect(out[4]).toBe('[redacted]');
  expect(out[5]).toBe('Authorization: Bearer [redacted]');
});

test('ordinary text is left alone, and very short values are not treated as secrets', () => {
  const r = new Redactor(['ab']);
  const text = 'SELECT count(*) FROM orders WHERE status = "about" -- 42 rows';
  expect(r.redact(text)).toBe(text);
});

test('a secret that contains another is removed whole', () => {
  const r = new Redactor(['abc', 'abcdef']);
  expect(r.redact('x abcdef y abc')).toBe('x [redacted] y [redacted]');
});
