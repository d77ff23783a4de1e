// Checks every HTTP exchange the integration tests recorded (tests/support/exchange_log.h)
// against docs/openapi.json: the path and method are documented, the status is one of the
// operation's documented answers, and a JSON answer validates against that answer's schema
// (JSON Schema 2020-12, as OpenAPI 3.1 uses it, through Ajv).
// Usage: node tests/openapi/check_exchanges.mjs <exchanges.jsonl>
import Ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const document = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(document, 'openapi.json');

const escape = (text) => text.replaceAll('~', '~0').replaceAll('/', '~1');
const operations = Object.entries(document.paths).map(([template, operationsByMethod]) => ({
  template,
  pattern: new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.') + '$'),
  operationsByMethod,
}));
// A literal segment wins over a parameter, as the route table orders them.
operations.sort((left, right) => (left.template.match(/\{/g) || []).length - (right.template.match(/\{/g) || []).length);

const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const problems = new Map(); // one line per kind of problem, with how often it happened
let checked = 0;
const problem = (text) => problems.set(text, (problems.get(text) || 0) + 1);
for (const line of lines) {
  const exchange = JSON.parse(line);
  const path = decodeURI(exchange.path.split('?')[0]);
  const method = exchange.method.toLowerCase();
  const found = operations.find((candidate) => candidate.pattern.test(path) && candidate.operationsByMethod[method]);
  if (!found) {
    problem(`${exchange.method} ${path}: not in the document`);
    continue;
  }
  const status = String(exchange.status);
  const answers = found.operationsByMethod[method].responses;
  const answer = answers[status] ? status : answers[status[0] + 'XX'] ? status[0] + 'XX' : null;
  if (!answer) {
    problem(`${exchange.method} ${found.template}: answered ${status}, which the document does not list`);
    continue;
  }
  checked += 1;
  if (!exchange.content_type.startsWith('application/json') || exchange.body === '') continue;
  const media = answers[answer].content && answers[answer].content['application/json'];
  if (!media) {
    problem(`${exchange.method} ${found.template} ${status}: answered JSON, the document names no JSON schema`);
    continue;
  }
  const pointer = `openapi.json#/paths/${escape(found.template)}/${method}/responses/${answer}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer);
  if (!validate(JSON.parse(exchange.body))) {
    for (const error of validate.errors) {
      problem(`${exchange.method} ${found.template} ${status}: ${error.instancePath || '(the body)'} ${error.message}`);
    }
  }
}
for (const [text, times] of problems) console.error(`${text}${times > 1 ? ` (${times} times)` : ''}`);
console.log(`openapi: ${lines.length} exchanges recorded, ${checked} matched a documented answer, ${problems.size} kinds of problem`);
process.exit(problems.size === 0 ? 0 : 1);
