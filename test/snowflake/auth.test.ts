/** Every supported way to log in, end to end through the real driver against the fake Snowflake. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EngineError, type StatementProgress } from '../../src/engine/types.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { filesUnder, liveEngine, options, request, tempDir, timed } from './helpers.js';

const PASSPHRASE = 'open sesame, says me';
const PAT = 'pat-0123456789abcdef';
const OAUTH = 'oauth-fedcba9876543210';
const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyFile = path.join(tempDir('keys'), 'rsa_key.p8');
fs.writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }), { mode: 0o600 });

let server: FakeSnowflake;
const stateDirs: string[] = [];
const said: string[] = [];

beforeAll(async () => {
  server = await FakeSnowflake.start({
    users: [
      { name: 'KEYUSER', publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      { name: 'PATUSER', token: PAT },
      { name: 'OAUTHUSER', token: OAUTH },
      { name: 'SSOUSER' },
    ],
  });
});

afterAll(async () => {
  await server.close();
  // Whatever way we logged in, the secret used never reached a file we wrote or a message.
  const texts = [...said, ...stateDirs.flatMap(filesUnder).map((f) => f.text)];
  for (const secret of [PASSPHRASE, PAT, OAUTH]) for (const text of texts) expect(text).not.toContain(secret);
});

async function loginAs(section: string) {
  const live = await liveEngine(server, { extra: section });
  stateDirs.push(live.stateDir);
  return live;
}

test('key pair (SNOWFLAKE_JWT) with an encrypted key and its passphrase', async () => {
  const { engine } = await loginAs(`user = "keyuser"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${keyFile}"\nprivate_key_file_pwd = "${PASSPHRASE}"`);
  const result = await engine.run(request('select 1'), options());
  expect(result.rows).toEqual([[1]]);
  expect([...server.sessions.values()].at(-1)!.user).toBe('KEYUSER');
  await engine.close();
});

test('key pair whose public key Snowflake does not know: a clear message', async () => {
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const otherFile = path.join(tempDir('keys'), 'other.p8');
  fs.writeFileSync(otherFile, other.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const { engine } = await loginAs(`user = "keyuser"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${otherFile}"`);
  const { error, ms } = await timed(engine.connect(new AbortController().signal));
  said.push(error!.message, (error as EngineError).hint ?? '');
  expect(error!.message).toBe("Snowflake rejected the key-pair login of user 'keyuser' on account 'testaccount': the JWT was not accepted");
  expect((error as EngineError).hint).toMatch(/ALTER USER .* SET RSA_PUBLIC_KEY must match the key in private_key_file: check private_key_file in connection 'fake' in .*connections\.toml$/);
  expect(ms).toBeLessThan(10_000);
});

test('programmatic access token', async () => {
  const { engine } = await loginAs(`user = "patuser"\nauthenticator = "PROGRAMMATIC_ACCESS_TOKEN"\ntoken = "${PAT}"`);
  await engine.connect(new AbortController().signal);
  expect([...server.sessions.values()].at(-1)!.user).toBe('PATUSER');
  await engine.close();
});

test('OAuth token, and a rejected one', async () => {
  const ok = await loginAs(`authenticator = "oauth"\ntoken = "${OAUTH}"`);
  await ok.engine.connect(new AbortController().signal);
  await ok.engine.close();
  const bad = await loginAs('authenticator = "oauth"\ntoken = "expired-token-000"');
  const { error } = await timed(bad.engine.connect(new AbortController().signal));
  said.push(error!.message);
  expect(error!.message).toBe("Snowflake rejected the OAUTH token of user 'demo' on account 'testaccount': Invalid OAuth access token.");
  expect((error as EngineError).hint).toMatch(/get a fresh token/);
});

test('external browser SSO: the URL goes to the app (never to stdout), the login completes', async () => {
  const urls: string[] = [];
  const progress: StatementProgress[] = [];
  const live = await liveEngine(server, {
    extra: 'user = "ssouser"\nauthenticator = "externalbrowser"\ndisable_console_login = false',
    internals: {
      // The "browser": the presenter logs in, the identity provider redirects to the driver's listener.
      openBrowser: (url) => void redirect(url, server.issueSsoToken()),
    },
  });
  stateDirs.push(live.stateDir);
  live.engine.onLoginUrl = (url) => urls.push(url);
  const result = await live.engine.run(request('select 1'), options({ onProgress: (p) => progress.push(p) }));
  expect(result.rows).toEqual([[1]]);
  expect(urls).toHaveLength(1);
  expect(urls[0]).toMatch(/^https:\/\/127\.0\.0\.1\/console\/login\?login_name=ssouser&proof_key=.+&browser_mode_redirect_port=\d+$/);
  // Then the statement's own states, as Snowflake reports them.
  expect(progress.map((p) => p.state).slice(0, 2)).toEqual(['CONNECTING', 'WAITING_FOR_BROWSER']);
  expect(progress[1]!.url).toBe(urls[0]);
  expect([...server.sessions.values()].at(-1)!.user).toBe('SSOUSER');
  await live.engine.close();
});

async function redirect(loginUrl: string, token: string): Promise<void> {
  const port = Number(new URL(loginUrl).searchParams.get('browser_mode_redirect_port'));
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.end(`GET /?token=${token} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
}
