/**
 * The fake Snowflake on its own, to try `demo -c fake` by hand (e.g. in tmux) and break it on
 * purpose. Build and start it with:
 *
 *   npx tsc test/snowflake-server/standalone.ts --outDir .demo/fake-snowflake --module nodenext \
 *     --moduleResolution nodenext --target es2022 --skipLibCheck
 *   node .demo/fake-snowflake/standalone.js [--port N] [--home DIR]
 *
 * (inside the project, so that Node reads the output as ES modules; .demo/ is never committed).
 *
 * It writes DIR/connections.toml with a [fake] connection (user demo, password "demo-password"),
 * so that `SNOWFLAKE_HOME=DIR demo -c fake` reaches it. Then type, one per line:
 *   die | revive            the server goes away (connection refused), and comes back
 *   silent | answer         every request held without an answer, and answered again
 *   fault KIND BEHAVIOUR    KIND: login query status result abort heartbeat logout;
 *                           BEHAVIOUR: hang reset reject http500 off
 *   slow MS                 every statement from now on runs MS milliseconds
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { FakeSnowflake, type Fault, type RequestKind } from './server.js';

const PASSWORD = 'demo-password';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const port = Number(flag('port') ?? 0);
const home = flag('home');
const users = [{ name: 'DEMO', password: PASSWORD }];
let server = await FakeSnowflake.start({ users, port });
// Kept: a closed server no longer knows its port, and a revived one takes the same.
const listening = server.port;
let runMs = 0;
const script = () => server.script({ match: () => runMs > 0, plan: () => ({ runMs, states: ['RUNNING'] }) });
script();

if (home) {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'connections.toml');
  const toml = `[fake]\naccount = "fakeaccount"\nuser = "demo"\npassword = "${PASSWORD}"\nhost = "127.0.0.1"\nport = ${listening}\nprotocol = "http"\nrole = "DEMO_ROLE"\nwarehouse = "DEMO_WH"\n`;
  fs.writeFileSync(file, toml, { mode: 0o600 });
  console.log(`wrote ${file}`);
}
console.log(`fake Snowflake on 127.0.0.1:${listening}`);

const kinds: RequestKind[] = ['login', 'query', 'status', 'result', 'abort', 'heartbeat', 'logout'];
const faults: Fault[] = ['hang', 'reset', 'reject', 'http500'];
let dead = false;

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, ...args] = line.trim().split(/\s+/);
  try {
    if (command === 'die' && !dead) {
      await server.close();
      dead = true;
    } else if (command === 'revive' && dead) {
      server = await FakeSnowflake.start({ users, port: listening });
      script();
      dead = false;
    } else if (command === 'silent') server.stopAnswering();
    else if (command === 'answer') server.resumeAnswering();
    else if (command === 'fault' && kinds.includes(args[0] as RequestKind) && (args[1] === 'off' || faults.includes(args[1] as Fault))) {
      server.fault(args[0] as RequestKind, args[1] === 'off' ? undefined : (args[1] as Fault));
    } else if (command === 'slow' && Number.isFinite(Number(args[0]))) runMs = Number(args[0]);
    else if (command) {
      console.log('commands: die | revive | silent | answer | fault KIND BEHAVIOUR | slow MS');
      continue;
    }
    if (command) console.log(`ok: ${line.trim()}`);
  } catch (error) {
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
