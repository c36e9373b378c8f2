import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConnection } from '../../src/engine/snowflake/connections.js';
import { createSnowflakeEngine } from '../../src/engine/snowflake/index.js';
import { UsageError } from '../../src/runbook/errors.js';
import type { Runbook } from '../../src/runbook/model.js';
import { runbook, snowflakeHome, tempDir } from './helpers.js';

const TWO = `
default_connection_name = "second"

[first]
account = "org-first"
user = "alice"
password = "first-secret"

[second]
account = "org-second"
user = "bob"
password = "second-secret"
warehouse = "WH2"

[default]
account = "org-default"
user = "carol"
password = "default-secret"
`;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('which connection', () => {
  const home = snowflakeHome(TWO);
  const env = { SNOWFLAKE_HOME: home };

  test('-c wins over the runbook, the runbook over the defaults', () => {
    expect(loadConnection({ env, connection: 'first', runbookConnection: 'default' }).settings.name).toBe('first');
    expect(loadConnection({ env, runbookConnection: 'default' }).settings.name).toBe('default');
  });

  test('SNOWFLAKE_DEFAULT_CONNECTION_NAME wins over default_connection_name, which wins over [default]', () => {
    expect(loadConnection({ env: { ...env, SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'first' } }).settings.account).toBe('org-first');
    expect(loadConnection({ env }).settings.account).toBe('org-second');
    const plain = snowflakeHome('[default]\naccount = "org-d"\nuser = "u"\npassword = "pw-pw"\n');
    expect(loadConnection({ env: { SNOWFLAKE_HOME: plain } }).settings.account).toBe('org-d');
  });

  test('without SNOWFLAKE_HOME the file is ~/.snowflake/connections.toml', () => {
    const home = tempDir('userhome');
    fs.mkdirSync(path.join(home, '.snowflake'));
    fs.writeFileSync(path.join(home, '.snowflake', 'connections.toml'), '[default]\naccount = "org-home"\nuser = "u"\npassword = "pw-pw"\n', { mode: 0o600 });
    expect(loadConnection({ env: {}, home }).settings.account).toBe('org-home');
  });

  test("the Snowflake CLI's config.toml [connections.NAME] works too", () => {
    const home = tempDir('cli');
    fs.writeFileSync(path.join(home, 'config.toml'), 'default_connection_name = "cli"\n[connections.cli]\naccount = "org-cli"\nuser = "u"\npassword = "pw-pw"\n', { mode: 0o600 });
    expect(loadConnection({ env: { SNOWFLAKE_HOME: home } }).settings.account).toBe('org-cli');
  });
});

describe('environment overrides', () => {
  const home = snowflakeHome(TWO);

  test('SNOWFLAKE_* override the file, and SNOWFLAKE_CONNECTIONS_<NAME>_* override those', () => {
    const { settings } = loadConnection({
      connection: 'first',
      env: {
        SNOWFLAKE_HOME: home,
        SNOWFLAKE_PASSWORD: 'env-secret',
        SNOWFLAKE_WAREHOUSE: 'ENV_WH',
        SNOWFLAKE_ROLE: 'GENERIC_ROLE',
        SNOWFLAKE_CONNECTIONS_FIRST_ROLE: 'SPECIFIC_ROLE',
        SNOWFLAKE_HOST: '127.0.0.1',
        SNOWFLAKE_PORT: '8085',
        SNOWFLAKE_PROTOCOL: 'http',
      },
    });
    expect(settings).toMatchObject({ password: 'env-secret', warehouse: 'ENV_WH', role: 'SPECIFIC_ROLE', host: '127.0.0.1', port: 8085, protocol: 'http', user: 'alice' });
    expect(settings.fromEnv.password).toBe('SNOWFLAKE_PASSWORD');
  });

  test('with no file at all, SNOWFLAKE_ACCOUNT and friends are enough', () => {
    const { settings } = loadConnection({
      env: { SNOWFLAKE_HOME: tempDir('empty'), SNOWFLAKE_ACCOUNT: 'org-env', SNOWFLAKE_USER: 'ci', SNOWFLAKE_PASSWORD: 'pw-pw' },
    });
    expect(settings).toMatchObject({ name: 'environment', account: 'org-env', user: 'ci' });
  });
});

describe('errors say what is wrong and where', () => {
  test('no file', () => {
    const home = tempDir('nofile');
    const e = usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: home }, connection: 'demo' }));
    expect(e.message).toContain(path.join(home, 'connections.toml'));
    expect(e.message).toContain("'demo'");
  });

  test('no such section lists the ones there are', () => {
    const e = usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: snowflakeHome(TWO) }, connection: 'prod' }));
    expect(e.message).toMatch(/no connection named 'prod' in .*connections\.toml \(it has: first, second, default\)/);
  });

  test('a TOML syntax error gives file:line:column and never the offending line (it may hold a password)', () => {
    const home = snowflakeHome('[demo]\naccount = "org-x"\npassword = "hunter22\nuser = "u"\n');
    const e = usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: home }, connection: 'demo' }));
    expect(e.message).toMatch(new RegExp(`${path.join(home, 'connections.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: invalid TOML`));
    expect(e.message).not.toContain('hunter22');
  });

  test('missing account, missing password, bad port, unknown authenticator', () => {
    const check = (section: string, pattern: RegExp) => {
      const home = snowflakeHome(`[demo]\n${section}\n`);
      expect(usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: home }, connection: 'demo' })).message).toMatch(pattern);
    };
    check('user = "u"\npassword = "pw-pw"', /connections\.toml \[demo\]: no account\. Add account = .*SNOWFLAKE_ACCOUNT/);
    check('account = "org-a"\nuser = "u"', /no password\. Add password = .*SNOWFLAKE_PASSWORD/);
    check('account = "org-a"\nuser = "u"\npassword = "pw-pw"\nport = 99999', /port must be a number between 1 and 65535/);
    check('account = "org-a"\nuser = "u"\nauthenticator = "magic"', /authenticator 'MAGIC' is not supported here; use one of SNOWFLAKE, SNOWFLAKE_JWT/);
    check('account = "org-a"\nauthenticator = "oauth"', /OAUTH needs token = /);
  });

  test('createSnowflakeEngine reports configuration problems as UsageError (exit code 2)', async () => {
    await expect(
      createSnowflakeEngine({ runbook: runbook('missing'), stateDir: tempDir('state') }, { env: { SNOWFLAKE_HOME: snowflakeHome(TWO) } }),
    ).rejects.toThrow(UsageError);
  });
});

describe('warnings', () => {
  test('a connections.toml readable by others is flagged, an owner-only one is not', () => {
    const section = '[demo]\naccount = "org-a"\nuser = "u"\npassword = "pw-pw"\n';
    const open = loadConnection({ env: { SNOWFLAKE_HOME: snowflakeHome(section, 0o644) }, connection: 'demo' });
    expect(open.warnings.join('\n')).toMatch(/connections\.toml can be read by other users \(mode 644\): run chmod 600 /);
    expect(loadConnection({ env: { SNOWFLAKE_HOME: snowflakeHome(section) }, connection: 'demo' }).warnings).toEqual([]);
  });

  test('a likely typo is pointed out; other tools\u2019 keys are left alone', () => {
    const home = snowflakeHome('[demo]\naccount = "org-a"\nuser = "u"\npassword = "pw-pw"\nwarehuose = "WH"\nclient_session_keep_alive = true\n');
    const { warnings } = loadConnection({ env: { SNOWFLAKE_HOME: home }, connection: 'demo' });
    expect(warnings).toEqual([expect.stringMatching(/unknown key 'warehuose' \(ignored\): did you mean 'warehouse'\?/)]);
  });
});

describe('authentication settings', () => {
  const keyDir = tempDir('keys');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encrypted = path.join(keyDir, 'rsa_key.p8');
  fs.writeFileSync(encrypted, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' }), { mode: 0o600 });

  const jwt = (extra: string) =>
    snowflakeHome(`[jwt]\naccount = "org-a"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${encrypted}"\n${extra}\n`);

  test('an encrypted key with its passphrase is accepted', () => {
    const { settings, secrets } = loadConnection({ env: { SNOWFLAKE_HOME: jwt('private_key_file_pwd = "open sesame"') }, connection: 'jwt' });
    expect(settings).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKeyFile: encrypted, privateKeyPassphrase: 'open sesame' });
    expect(secrets).toContain('open sesame');
  });

  test('a wrong or missing passphrase is a clear error that does not repeat the passphrase', () => {
    const wrong = usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: jwt('private_key_file_pwd = "close sesame"') }, connection: 'jwt' }));
    expect(wrong.message).toMatch(/cannot decrypt the private key .*rsa_key\.p8: wrong passphrase/);
    expect(wrong.message).not.toContain('close sesame');
    const missing = usageError(() => loadConnection({ env: { SNOWFLAKE_HOME: jwt('') }, connection: 'jwt' }));
    expect(missing.message).toMatch(/is encrypted: set private_key_file_pwd \(or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE\)/);
  });

  test('the passphrase may come from SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', () => {
    const { settings } = loadConnection({ env: { SNOWFLAKE_HOME: jwt(''), SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'open sesame' }, connection: 'jwt' });
    expect(settings.fromEnv.private_key_file_pwd).toBe('SNOWFLAKE_PRIVATE_KEY_PASSPHRASE');
  });

  test('a token can be read from token_file_path', () => {
    const tokenFile = path.join(keyDir, 'token');
    fs.writeFileSync(tokenFile, 'tok-123456\n', { mode: 0o600 });
    const home = snowflakeHome(`[pat]\naccount = "org-a"\nuser = "u"\nauthenticator = "programmatic_access_token"\ntoken_file_path = "${tokenFile}"\n`);
    const { settings, secrets } = loadConnection({ env: { SNOWFLAKE_HOME: home }, connection: 'pat' });
    expect(settings).toMatchObject({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'tok-123456' });
    expect(secrets).toContain('tok-123456');
  });

  test('EXTERNALBROWSER waits for a person: its login limit is minutes, not seconds', async () => {
    const home = snowflakeHome('[sso]\naccount = "org-a"\nuser = "u@example.com"\nauthenticator = "externalbrowser"\n');
    const engine = await createSnowflakeEngine({ runbook: runbook('sso'), stateDir: tempDir('state') }, { env: { SNOWFLAKE_HOME: home } });
    expect(engine.limits.loginTimeoutMs).toBe(120_000);
  });
});

describe('limits', () => {
  const home = snowflakeHome(`${TWO}\n[patient]\naccount = "org-p"\nuser = "p"\npassword = "pw-pw"\nlogin_timeout = 40\n`);
  const env = { SNOWFLAKE_HOME: home };
  const engine = (connection: string, snowflake?: Runbook['snowflake'], limits?: Runbook['snowflake']) =>
    createSnowflakeEngine({ runbook: { ...runbook(connection), snowflake }, stateDir: tempDir('state'), limits }, { env });

  test('the defaults: login 15 s, submit 15 s, lost after 20 s, result 60 s', async () => {
    expect((await engine('first')).limits).toMatchObject({ loginTimeoutMs: 15_000, submitTimeoutMs: 15_000, lostAfterMs: 20_000, resultTimeoutMs: 60_000 });
  });

  test("the runbook's `snowflake:` sets them; the command line overrides it", async () => {
    const runbookLimits = { loginTimeoutMs: 5_000, submitTimeoutMs: 6_000, lostAfterMs: 7_000, resultTimeoutMs: 8_000 };
    expect((await engine('first', runbookLimits)).limits).toMatchObject(runbookLimits);
    expect((await engine('first', runbookLimits, { submitTimeoutMs: 1_000, loginTimeoutMs: 2_000 })).limits).toMatchObject({
      loginTimeoutMs: 2_000,
      submitTimeoutMs: 1_000,
      lostAfterMs: 7_000,
      resultTimeoutMs: 8_000,
    });
  });

  test("a connection's own login_timeout beats the runbook's, and the command line beats both", async () => {
    expect((await engine('patient', { loginTimeoutMs: 5_000 })).limits.loginTimeoutMs).toBe(40_000);
    expect((await engine('patient', { loginTimeoutMs: 5_000 }, { loginTimeoutMs: 3_000 })).limits.loginTimeoutMs).toBe(3_000);
  });
});
