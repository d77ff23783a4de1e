// The peer pheu's ingest is measured against: what a Node.js developer would write for the
// same job with fastify and better-sqlite3. It verifies the Zalo signature
// (mac = sha256(app_id + body + timestamp + oa_secret_key)), inserts the event durably
// (WAL, synchronous=FULL, one transaction per request, dedupe by msg_id) and answers 200.
// Usage: node server.js PORT DATABASE
'use strict';
const crypto = require('node:crypto');
const fastify = require('fastify')({ logger: false, bodyLimit: 1048576 });
const Database = require('better-sqlite3');

const port = Number(process.argv[2] || 18082);
const db = new Database(process.argv[3] || 'peer.db');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS inbox_events (
  seq INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, source TEXT NOT NULL, kind TEXT NOT NULL,
  received_at INTEGER NOT NULL, raw TEXT NOT NULL)`);
const insert = db.prepare(
  'INSERT INTO inbox_events (dedupe_key, source, kind, received_at, raw) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (dedupe_key) DO NOTHING');
const accounts = { bench_app: 'bench-oa-secret-key' };

fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => done(null, body));

fastify.post('/webhooks/zalo', async (request, reply) => {
  const raw = request.body;
  let event;
  try {
    event = JSON.parse(raw);
  } catch {
    return reply.code(400).send({ error: { code: 'invalid_json', message: 'The body must be a JSON object.' } });
  }
  const secret = accounts[event.app_id];
  const signature = request.headers['x-zevent-signature'] || '';
  const expected = 'mac=' + crypto.createHash('sha256')
    .update(event.app_id + raw + String(event.timestamp) + (secret || '')).digest('hex');
  if (!secret || signature.length !== expected.length ||
      !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return reply.code(401).send({ error: { code: 'invalid_signature', message: 'Bad signature.' } });
  }
  const key = 'zalo:' + event.event_name + ':' + ((event.message && event.message.msg_id) || event.timestamp);
  insert.run(key, 'zalo', event.event_name, Date.now(), raw);
  return { status: 'ok' };
});

fastify.listen({ port, host: '127.0.0.1' }).catch((error) => { console.error(error); process.exit(1); });
