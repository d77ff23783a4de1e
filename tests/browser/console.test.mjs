// Browser test of pheu's web console: the real pheu binary on a temporary database, Debian's
// Chromium driven by playwright-core. The admin token creates the first owner, who signs in
// with a password and runs every screen and form; the owner adds a staff member, who reads a
// conversation, replies and cannot open the settings, and a marketer, who attaches a new
// voucher campaign to a rule through forms alone. Screenshots go to $PHEU_SCREENSHOTS.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = process.env.PHEU_BINARY;
const screenshots = process.env.PHEU_SCREENSHOTS || join(process.cwd(), 'browser-screenshots');
const chromiumPath = process.env.PHEU_CHROMIUM || '/usr/bin/chromium';
const admin = { Authorization: 'Bearer admin-token-for-tests-only', 'Content-Type': 'application/json' };

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

async function eventually(probe, message, seconds = 15) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out: ' + message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// PHEU_CONSOLE_DATABASE: an empty PostgreSQL database to run the console on instead (a URL).
function startPheu(dir) {
  const config = {
    listen: { host: '127.0.0.1', port: 0 }, database: process.env.PHEU_CONSOLE_DATABASE || join(dir, 'pheu.db'),
    admin_token: 'admin-token-for-tests-only', events_token: 'events-token-for-tests-only', transport: 'sandbox',
    zalo: { accounts: [{ oa_id: 'oa-1', app_id: 'app-1', oa_secret_key: 'oa-secret-1' }] },
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config));
  const child = spawn(binary, ['serve', '--config', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error('pheu did not start:\n' + log)), 30000);
    const read = (chunk) => {
      log += chunk;
      const found = log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (found) { clearTimeout(timer); resolve({ child, base: `http://127.0.0.1:${found[1]}` }); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`pheu exited with ${code}:\n${log}`)));
  });
}

// A shopper's Zalo chat as the OA's webhook delivers it, signed for account app-1.
async function zaloChat(base, user, text, msgId) {
  const body = JSON.stringify({ app_id: 'app-1', event_name: 'user_send_text', sender: { id: user }, recipient: { id: 'oa-1' },
    message: { text, msg_id: msgId }, timestamp: String(Date.now()) });
  const mac = createHash('sha256').update('app-1' + body + JSON.parse(body).timestamp + 'oa-secret-1').digest('hex');
  const response = await fetch(base + '/webhooks/zalo', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-ZEvent-Signature': 'mac=' + mac }, body });
  return response.status;
}

async function call(base, method, path, body, headers = admin) {
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// Signs in with a name and a password, and waits for the first screen.
async function signIn(page, name, password, firstScreen) {
  await page.goto(page.url().split('#')[0] + '#/login');
  await page.waitForSelector('#user-name');
  await page.fill('#user-name', name);
  await page.fill('#user-password', password);
  await page.click('#sign-in');
  await page.waitForSelector(`main[data-ready="${firstScreen}"]`);
}

async function signOut(page) {
  await page.click('#sign-out');
  await page.waitForSelector('#user-name');
}

// An owner (or the admin token) adds a person on the Tài khoản screen.
async function createPerson(page, name, password, role) {
  await page.goto(page.url().split('#')[0] + '#/users');
  await page.waitForSelector('main[data-ready="users"]');
  await page.fill('#new-user-name', name);
  await page.fill('#new-user-password', password);
  await page.selectOption('#new-user-role', role);
  await page.click('#new-user-create');
  await page.waitForSelector(`tr[data-user="${name}"]`);
}

const dir = mkdtempSync(join(tmpdir(), 'pheu-browser-'));
mkdirSync(screenshots, { recursive: true });
const { child, base } = await startPheu(dir);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failurePage = null;
try {
  // A purchase, so the funnel has something to show.
  const seeded = await call(base, 'POST', '/api/v1/events', {
    event_id: 'browser-1', type: 'purchase', occurred_at: new Date().toISOString(),
    customer: { phone: '0912345678', name: 'Lan' }, properties: { order_id: 'B-1', total: 450000 },
  }, { Authorization: 'Bearer events-token-for-tests-only', 'Content-Type': 'application/json' });
  check(seeded.status === 202, 'the events API accepts the seed purchase');

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  page.on('console', (message) => { if (message.type() === 'error') console.log('browser console: ' + message.text()); });
  failurePage = page;
  await page.goto(base + '/admin');
  await page.waitForSelector('#user-name');
  check(!(await page.isVisible('#nav')) && !(await page.isVisible('#sign-out')),
    'the sign-in page shows no navigation and no "Đăng xuất"');
  check(await page.evaluate(() => document.activeElement.id) === 'user-name' && !(await page.textContent('main')).includes('Lỗi'),
    'the sign-in page draws whole, the name field ready for typing');
  await page.screenshot({ path: join(screenshots, 'sign-in.png'), fullPage: true });
  await page.fill('#user-name', 'Chị Hoa');
  await page.fill('#user-password', 'chưa có ai');
  await page.click('#sign-in');
  await page.waitForSelector('#login-error:has-text("Tên đăng nhập hoặc mật khẩu không đúng")');
  check(true, 'a wrong password is refused on the sign-in screen, in Vietnamese');
  await page.click('#token-sign-in summary');
  await page.fill('#token', 'wrong-token');
  await page.click('#token-submit');
  await page.waitForSelector('#login-error:has-text("Không đăng nhập được")');
  check(true, 'a wrong admin token is refused on the sign-in screen');
  // The admin token opens the console once, to create the shop's first owner.
  await page.fill('#token', 'admin-token-for-tests-only');
  await page.click('#token-submit');
  await page.waitForSelector('main[data-ready="dashboard"]');
  await createPerson(page, 'Chị Hoa', 'hoa-mat-khau-2027', 'owner');
  await signOut(page);
  await signIn(page, 'Chị Hoa', 'hoa-mat-khau-2027', 'dashboard');
  check((await page.textContent('#who')) === 'Chị Hoa · Chủ shop', 'the owner signs in with her name and password, and the console says who is signed in');

  const funnel = await eventually(async () => {
    const report = (await call(base, 'GET', '/api/v1/reports/funnel')).body;
    return report.total >= 1 ? report : null;
  }, 'the seeded customer shows in the funnel');
  await page.reload();
  await page.waitForSelector('main[data-ready="dashboard"]');
  for (const stage of ['new_lead', 'new_customer', 'frequent_buyer', 'dormant']) {
    const shown = await page.textContent(`[data-testid="stage-${stage}"]`);
    check(Number(shown) === funnel.stages[stage], `the dashboard shows ${stage} = ${funnel.stages[stage]}, as the API does`);
  }
  check(Number(await page.textContent('[data-testid="stage-total"]')) === funnel.total, 'the dashboard total equals the API total');
  await page.screenshot({ path: join(screenshots, 'dashboard.png'), fullPage: true });

  // The template editor: the preview follows the typing; a syntax error shows in place.
  await page.goto(base + '/admin#/templates/welcome_game');
  await page.waitForSelector('main[data-ready="templates"]');
  await page.waitForSelector('#preview-text:has-text("Chúc mừng Lan")');
  check(true, 'the preview renders the saved template for the sample shopper');
  await page.fill('#template-body', 'Xin chào {{#customer}}');
  await page.waitForSelector('#template-error:has-text("dòng 1")');
  check(await page.$eval('#template-body', (element) => element.classList.contains('invalid')), 'a template that does not parse is marked, with its line');
  await page.fill('#template-body', 'BROWSER-TEST: chào {{customer.given_name}}, quà của bạn đang chờ ở {{shop.name}}!');
  await page.waitForSelector('#preview-text:has-text("BROWSER-TEST: chào Lan")');
  check(await page.textContent('#template-error') === '', 'the error clears once the text parses');
  await page.screenshot({ path: join(screenshots, 'template-editor.png'), fullPage: true });
  await page.click('#template-save');
  await page.waitForSelector('#template-saved:has-text("phiên bản 2")');
  const saved = (await call(base, 'GET', '/api/v1/templates/welcome_game')).body;
  check(saved.version === 2 && saved.body.startsWith('BROWSER-TEST'), 'saving writes version 2 through the API');

  // An event through the events API now brings the new text to that customer.
  const game = await call(base, 'POST', '/api/v1/events', {
    event_id: 'browser-game-1', type: 'game_played', occurred_at: new Date().toISOString(),
    customer: { zalo_user_id: 'zalo-browser-1', name: 'Minh' }, properties: { game_id: 'vong-quay', prize: 'Giảm 50.000đ' },
  }, { Authorization: 'Bearer events-token-for-tests-only', 'Content-Type': 'application/json' });
  check(game.status === 202, 'the events API accepts the game event');
  const customer = await eventually(async () => {
    const found = (await call(base, 'GET', '/api/v1/customers?zalo_user_id=zalo-browser-1')).body.items[0];
    if (!found) return null;
    const messages = (await call(base, 'GET', `/api/v1/customers/${found.id}/messages`)).body.items;
    return messages.some((message) => (message.text || '').startsWith('BROWSER-TEST: chào Minh')) ? found : null;
  }, 'the game player receives the edited template');
  await page.goto(base + '/admin#/customers');
  await page.waitForSelector('main[data-ready="customers"]');
  await page.fill('#customer-search', 'Minh');
  await page.waitForSelector(`tr[data-customer="${customer.id}"]`);
  await page.click(`tr[data-customer="${customer.id}"]`);
  await page.waitForSelector('#conversation .turn.pheu .bubble:has-text("BROWSER-TEST: chào Minh")');
  check(true, "the customer's conversation in the console shows the new text");
  await page.screenshot({ path: join(screenshots, 'customer.png'), fullPage: true });

  // The shopper asks to be forgotten: confirmed in the console, erased through the API.
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#customer-erase');
  await eventually(async () => {
    const erased = (await call(base, 'GET', `/api/v1/customers/${customer.id}`)).body;
    return erased.name === null && erased.identities.length === 0;
  }, "the customer's personal data is erased from the console");
  await page.waitForSelector(`#customer-detail h2:has-text("Khách #${customer.id}")`);
  check(true, 'an erased customer is shown by number only');

  // A shopper writes on Zalo; staff read the conversation and answer from the console.
  check(await zaloChat(base, 'z-hoa', 'shop ơi đầm hoa nhí còn size M không', 'hoa-1') === 200, 'a signed Zalo chat is accepted');
  const hoa = await eventually(async () => (await call(base, 'GET', '/api/v1/customers?zalo_user_id=z-hoa')).body.items[0], 'the Zalo shopper is known');
  await eventually(async () => (await call(base, 'GET', `/api/v1/customers/${hoa.id}/messages`)).body.items.length > 0, 'pheu answered her');
  await page.goto(`${base}/admin#/customers/${hoa.id}`);
  await page.waitForSelector('#conversation .turn.shopper .bubble:has-text("đầm hoa nhí còn size M")');
  await page.waitForSelector('#conversation .turn.pheu');
  check(true, "a customer's page shows what the shopper wrote and what pheu answered, in order");
  await page.fill('#reply-text', 'Dạ chị ơi, size M còn 2 chiếc ạ, chị lấy màu nào ạ?');
  await page.click('#reply-send');
  await page.waitForSelector('#conversation .turn.staff .bubble:has-text("size M còn 2 chiếc")');
  const staffReplies = (await call(base, 'GET', `/api/v1/customers/${hoa.id}/messages`)).body.items.filter((message) => message.trigger === 'staff_reply');
  check(staffReplies.length === 1 && staffReplies[0].channel === 'zalo', 'a reply typed on the customer page goes out on Zalo as the staff member\'s');
  await page.screenshot({ path: join(screenshots, 'conversation.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(screenshots, 'conversation-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/admin#/messages`);
  await page.waitForSelector('main[data-ready="messages"]');
  await page.waitForSelector('td.message-text:has-text("size M còn 2 chiếc")');
  await page.waitForSelector('td:has-text("Nhân viên trả lời")');
  check(true, 'the messages list shows each message\'s text and its cause in Vietnamese');

  // A name no message holds is saved with a warning, shown under the editor.
  await page.goto(base + '/admin#/templates/welcome_game');
  await page.waitForSelector('main[data-ready="templates"]');
  await page.fill('#template-body', 'Chào {{khach.ten}}!');
  await page.waitForSelector('#template-warnings li:has-text("khach.ten")');
  check(true, 'an unknown name is listed as a warning in the editor');

  // A segment built with the live count, saved; a broadcast to it, sent, with its results.
  await page.goto(`${base}/admin#/segments`);
  await page.waitForSelector('main[data-ready="segments"]');
  const everyone = (await call(base, 'POST', '/api/v1/segments/count', { filter: {} })).body.count;
  await page.waitForSelector(`#segment-count:has-text("${everyone}")`);
  await page.check('input[data-stage="new_customer"]');
  const buyers = (await call(base, 'POST', '/api/v1/segments/count', { filter: { stage: ['new_customer'] } })).body.count;
  check(buyers >= 1 && buyers < everyone, 'the seeded buyer is a new customer, among others who are not');
  await page.waitForSelector(`#segment-count:has-text("${buyers}")`);
  check(true, 'the live count follows the filter as it is edited');
  await page.fill('input[data-range="total_spent-min"]', '-5');
  await page.waitForSelector('#segment-error:has-text("total_spent")');
  check(true, 'a bad condition is named under the builder');
  await page.fill('input[data-range="total_spent-min"]', '100000');
  const spenders = (await call(base, 'POST', '/api/v1/segments/count', { filter: { stage: ['new_customer'], total_spent: { min: 100000 } } })).body.count;
  await page.waitForSelector(`#segment-count:has-text("${spenders}")`);
  check(await page.textContent('#segment-error') === '', 'the count and the error follow the latest filter, whatever order the answers came in');
  await page.fill('#segment-name', 'Khách mới chi từ 100 nghìn');
  await page.click('#segment-save');
  await page.waitForSelector('#segments td:has-text("Khách mới chi từ 100 nghìn")');
  await page.waitForSelector('#segments td:has-text("Khách hàng mới · Tổng chi từ 100.000đ")');
  check(true, 'a saved segment is shown in words, not JSON');
  const segment = (await call(base, 'GET', '/api/v1/segments')).body.items.find((item) => item.name === 'Khách mới chi từ 100 nghìn');
  check(segment && segment.filter.stage[0] === 'new_customer' && segment.filter.total_spent.min === 100000, 'the segment is saved with its filter');
  // The other conditions read in words too: a tag staff gave in the OA, a gender, a voucher held.
  await page.fill('#segment-tag', 'Khách sỉ');
  await page.selectOption('#segment-gender', 'female');
  await page.waitForSelector('#segment-count:has-text("0")');
  await page.fill('#segment-name', 'Khách sỉ nữ');
  await page.click('#segment-save');
  await page.waitForSelector('#segments td:has-text("Nữ · Thẻ Zalo Khách sỉ")');
  check(true, 'a segment on a Zalo tag and a gender is saved and read in words');
  await page.screenshot({ path: join(screenshots, 'segments.png'), fullPage: true });

  await page.goto(`${base}/admin#/broadcasts`);
  await page.waitForSelector('main[data-ready="broadcasts"]');
  await page.fill('#broadcast-name', 'Cảm ơn khách mới');
  await page.selectOption('#broadcast-segment', segment.id);
  await page.selectOption('#broadcast-template', 'thanks_reply');
  await page.selectOption('#broadcast-template-b', 'greeting_reply');
  await page.click('#broadcast-estimate-button');
  await page.waitForSelector('#broadcast-estimate:has-text("Ước tính: 0/1 khách")');
  check(true, 'the estimate before sending says who it would reach (the buyer is known by phone only: nobody) and the cost');
  await page.click('#broadcast-create');
  await page.waitForSelector('#broadcasts td:has-text("Cảm ơn khách mới")');
  const broadcast = await eventually(async () => {
    const found = (await call(base, 'GET', '/api/v1/broadcasts')).body.items.find((item) => item.name === 'Cảm ơn khách mới');
    return found && found.status === 'done' ? found : null;
  }, 'the broadcast created in the console is sent');
  check(broadcast.variants.length === 2 && broadcast.variants[1].template === 'greeting_reply', 'a second template chosen in the form makes an A/B test');
  check(broadcast.audience === 1 && broadcast.sent + broadcast.skipped === 1, 'its one customer was decided (known by phone only, and so skipped: no channel is open)');
  await page.reload();
  await page.waitForSelector('main[data-ready="broadcasts"]');
  await page.waitForSelector(`tr[data-broadcast="${broadcast.id}"] .badge:has-text("Hoàn tất")`);
  await page.waitForSelector(`#message-results tr[data-trigger="broadcast:${broadcast.id}"]`);
  check(true, 'the console shows the broadcast done and its results row');
  await page.screenshot({ path: join(screenshots, 'broadcasts.png'), fullPage: true });

  // Every screen draws, with no array or object printed where elements belong.
  for (const screen of ['dashboard', 'templates', 'playbook', 'customers', 'messages', 'segments', 'broadcasts', 'vouchers', 'catalog', 'settings', 'users']) {
    await page.goto(`${base}/admin#/${screen}`);
    await page.waitForSelector(`main[data-ready="${screen}"]`);
    const text = await page.textContent('main');
    check(!text.includes('[object') && !text.includes('undefined'), `the ${screen} screen draws, with no [object …] or undefined in it`);
    check(await page.isVisible('#nav'), `the ${screen} screen shows the navigation`);
    await page.screenshot({ path: join(screenshots, `screen-${screen}.png`), fullPage: true });
  }
  // On a phone (390 px): every screen fits the width; only a wide table scrolls, inside itself.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const screen of ['dashboard', 'templates', 'playbook', 'customers', 'messages', 'segments', 'broadcasts', 'vouchers', 'catalog', 'settings', 'users']) {
    await page.goto(`${base}/admin#/${screen}`);
    await page.waitForSelector(`main[data-ready="${screen}"]`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `the ${screen} screen fits a 390 px phone (${width} px wide)`);
    await page.screenshot({ path: join(screenshots, `phone-${screen}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // The owner adds a staff member and a marketer on the Tài khoản screen.
  await createPerson(page, 'Lan', 'lan-ban-hang-1', 'staff');
  await createPerson(page, 'Minh', 'minh-marketing-1', 'marketer');
  const people = (await call(base, 'GET', '/api/v1/users')).body.items;
  check(people.length === 3 && people.find((person) => person.name === 'Lan').role === 'staff', 'the owner created a staff member and a marketer');
  await page.screenshot({ path: join(screenshots, 'users.png'), fullPage: true });

  // The staff member, in her own browser, reads a conversation and replies; no settings.
  const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const staff = await staffContext.newPage();
  staff.on('pageerror', (error) => pageErrors.push(error));
  failurePage = staff;
  await staff.goto(base + '/admin');
  await signIn(staff, 'Lan', 'lan-ban-hang-1', 'customers');
  const menu = await staff.$$eval('#nav a[data-screen]', (links) => links.filter((link) => !link.hidden).map((link) => link.dataset.screen));
  check(menu.join(',') === 'customers,messages', `a staff member's menu holds the customers and the messages only (${menu})`);
  await staff.goto(`${base}/admin#/customers/${hoa.id}`);
  await staff.waitForSelector('#conversation .turn.shopper .bubble:has-text("đầm hoa nhí còn size M")');
  await staff.waitForSelector('#conversation .turn.staff .bubble:has-text("size M còn 2 chiếc")');
  check(true, 'the staff member reads the conversation, the owner\'s reply included');
  check(await staff.locator('#customer-erase').count() === 0 && await staff.locator('#customer-download').count() === 0,
    'a staff member is offered no download or erasure of the shopper\'s personal data');
  await staff.fill('#reply-text', 'Dạ em Lan đây ạ, chị chọn màu xanh hay hồng ạ?');
  await staff.click('#reply-send');
  await staff.waitForSelector('#conversation .turn.staff .bubble:has-text("em Lan đây")');
  const byLan = (await call(base, 'GET', '/api/v1/audit')).body.items.find((entry) => entry.action === 'customer.reply' && entry.actor === 'user:Lan');
  check(Boolean(byLan), 'the staff member\'s reply is sent, and the audit log names her');
  await page.reload(); // the owner's page is still on the Tài khoản screen
  await page.waitForSelector('main[data-ready="users"]');
  await page.waitForSelector('#audit tr[data-audit="customer.reply"]:has-text("Lan"):has-text("Trả lời khách")');
  check(true, 'the owner reads in the console\'s change log that Lan answered a shopper');
  await staff.screenshot({ path: join(screenshots, 'staff-conversation.png'), fullPage: true });
  await staff.goto(`${base}/admin#/settings`);
  await staff.waitForSelector('#forbidden');
  check(!(await staff.isVisible('a[data-screen="settings"]')), 'the staff member cannot open the settings: no menu entry, and the page says so');
  const settingsStatus = await staff.evaluate(async () => (await fetch('/api/v1/settings')).status);
  check(settingsStatus === 403, 'the API refuses her the settings too (403)');
  await staff.screenshot({ path: join(screenshots, 'staff-forbidden.png'), fullPage: true });
  await staff.setViewportSize({ width: 390, height: 844 });
  await staff.goto(`${base}/admin#/customers/${hoa.id}`);
  await staff.waitForSelector('#conversation .turn.staff');
  check(await staff.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the staff member\'s conversation fits a 390 px phone');
  await staff.screenshot({ path: join(screenshots, 'phone-staff-conversation.png'), fullPage: true });
  // She changes her own password from her name in the menu.
  await staff.click('#who');
  await staff.waitForSelector('main[data-ready="password"]');
  await staff.fill('#current-password', 'lan-ban-hang-1');
  await staff.fill('#new-password', 'lan-mat-khau-moi-2');
  await staff.fill('#new-password-again', 'lan-mat-khau-moi-2');
  await staff.click('#password-save');
  await staff.waitForSelector('main[data-ready="customers"]');
  await signOut(staff);
  await signIn(staff, 'Lan', 'lan-mat-khau-moi-2', 'customers');
  check(true, 'a staff member changes her own password from the menu and signs in with the new one');
  await signOut(staff);
  const afterSignOut = await staff.evaluate(async () => (await fetch('/api/v1/customers')).status);
  check(afterSignOut === 401, 'after signing out, her browser reaches nothing');
  await staffContext.close();

  // The marketer, in his own browser: a campaign and a rule, through forms alone.
  const marketerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const marketer = await marketerContext.newPage();
  marketer.on('pageerror', (error) => pageErrors.push(error));
  failurePage = marketer;
  await marketer.goto(base + '/admin');
  await signIn(marketer, 'Minh', 'minh-marketing-1', 'dashboard');
  check(!(await marketer.isVisible('a[data-screen="settings"]')) && await marketer.isVisible('a[data-screen="vouchers"]'),
    'a marketer\'s menu has the vouchers and the playbook, not the settings');
  // Through forms alone: a new voucher campaign, paused and resumed, attached to the welcome
  // rule; the next new shopper's welcome carries one of its codes.
  await marketer.goto(`${base}/admin#/vouchers`);
  await marketer.waitForSelector('main[data-ready="vouchers"]');
  await marketer.fill('#campaign-id', 'tet_2027');
  await marketer.fill('#campaign-description', 'Giảm 15% dịp Tết');
  await marketer.fill('#campaign-pattern', 'TET-****');
  await marketer.click('#campaign-create');
  await marketer.waitForSelector('tr[data-campaign="tet_2027"]');
  await marketer.click('tr[data-campaign="tet_2027"] button[data-action="edit"]');
  await marketer.fill('.campaign-form[data-campaign="tet_2027"] input[data-field="per_customer_limit"]', '2');
  await marketer.click('.campaign-form[data-campaign="tet_2027"] button[data-action="pause"]');
  await eventually(async () => {
    const found = (await call(base, 'GET', '/api/v1/vouchers')).body.items.find((item) => item.id === 'tet_2027');
    return found && found.active === false && found.per_customer_limit === 2;
  }, 'the campaign is edited and paused from its form');
  await marketer.waitForSelector('tr[data-campaign="tet_2027"] .badge:has-text("Tạm dừng")');
  await marketer.click('tr[data-campaign="tet_2027"] button[data-action="edit"]');
  await marketer.click('.campaign-form[data-campaign="tet_2027"] button[data-action="resume"]');
  await marketer.waitForSelector('tr[data-campaign="tet_2027"] .badge:has-text("Đang phát")');
  check(true, 'a voucher campaign is created, edited, paused and resumed through forms');
  await marketer.goto(`${base}/admin#/playbook`);
  await marketer.waitForSelector('main[data-ready="playbook"]');
  await marketer.click('button[data-edit-rule="welcome_first_contact_lead"]');
  await marketer.selectOption('[data-rule-form="welcome_first_contact_lead"] select[data-field="campaign"]', 'tet_2027');
  await marketer.click('[data-rule-form="welcome_first_contact_lead"] button[data-action="save-rule"]');
  await eventually(async () => (await call(base, 'GET', '/api/v1/playbook')).body.rules.find((rule) => rule.id === 'welcome_first_contact_lead').campaign === 'tet_2027',
    'the rule form saves the campaign');
  check(await marketer.locator('[data-rule-form="welcome_first_contact_lead"] input[data-field="holdout_percent"]').count() === 0,
    'an answer to a shopper offers no control group');
  await marketer.click('button[data-edit-rule="winback"]');
  await marketer.fill('[data-rule-form="winback"] input[data-field="holdout_percent"]', '10');
  await marketer.click('[data-rule-form="winback"] button[data-action="save-rule"]');
  await eventually(async () => (await call(base, 'GET', '/api/v1/playbook')).body.rules.find((rule) => rule.id === 'winback').holdout_percent === 10,
    'the win-back rule form saves a control group of 10 %');
  await marketer.waitForSelector('tr[data-rule-row="welcome_first_contact_lead"] td:has-text("Giảm 15% dịp Tết")');
  check(await zaloChat(base, 'z-tet', 'chào shop', 'tet-1') === 200, 'a new shopper writes');
  const welcomed = await eventually(async () => {
    const found = (await call(base, 'GET', '/api/v1/customers?zalo_user_id=z-tet')).body.items[0];
    if (!found) return null;
    const messages = (await call(base, 'GET', `/api/v1/customers/${found.id}/messages`)).body.items;
    return messages.find((message) => /TET-[A-Z0-9]{4}/.test(message.text || ''));
  }, 'the new shopper gets a code of the campaign attached in the console');
  check(Boolean(welcomed), `the welcome carries a Tết code: ${welcomed.text.match(/TET-[A-Z0-9]{4}/)[0]}`);
  await marketer.screenshot({ path: join(screenshots, 'playbook.png'), fullPage: true });

  await marketerContext.close();
  failurePage = page;

  // Settings are forms: the daily cap and the quiet hours, saved and read back from the API.
  await page.goto(`${base}/admin#/settings`);
  await page.waitForSelector('main[data-ready="settings"]');
  await page.waitForSelector('#connections h2:has-text("Kết nối nền tảng")');
  await page.fill('[data-setting-form="send_policy"] input[data-path="daily_cap"]', '3');
  await page.fill('[data-setting-form="send_policy"] input[data-path="quiet_hours.start"]', '21:30');
  await page.click('[data-setting-form="send_policy"] button[data-action="save-setting"]');
  await eventually(async () => {
    const policy = (await call(base, 'GET', '/api/v1/settings')).body.send_policy;
    return policy.daily_cap === 3 && policy.quiet_hours.start === '21:30';
  }, 'the send policy form saves the cap and the quiet hours');
  await page.fill('[data-setting-form="send_policy"] input[data-path="daily_cap"]', '-1');
  await page.click('[data-setting-form="send_policy"] button[data-action="save-setting"]');
  await page.waitForSelector('[data-setting-form="send_policy"] .error:has-text("daily_cap")');
  check(true, 'settings are edited through labelled forms, and a bad value is named under its form');
  await page.fill('[data-setting-form="stage_thresholds"] input[data-path="frequent_min_orders"]', '1');
  await page.click('[data-setting-form="stage_thresholds"] button[data-action="preview-stages"]');
  await page.waitForSelector('#stage-preview:has-text("Khách mua nhiều 1")');
  check((await call(base, 'GET', '/api/v1/settings')).body.stage_thresholds.frequent_min_orders === 3, 'a stage threshold preview shows the counts and saves nothing');
  await page.click('[data-setting-form="zalo_templates"] button[data-action="add-mapping"]');
  await page.selectOption('.mapping-row select[data-field="template"]', 'winback');
  await page.fill('.mapping-row input[data-field="template_id"]', '301245');
  await page.selectOption('.mapping-row select[data-field="via"]', 'zns');
  await page.fill('.mapping-row textarea[data-field="data"]', 'ten = {{customer.name}}\nma = {{voucher.code}}');
  await page.click('[data-setting-form="zalo_templates"] button[data-action="save-setting"]');
  await eventually(async () => {
    const mapping = (await call(base, 'GET', '/api/v1/settings')).body.zalo_templates.winback;
    return mapping && mapping.template_id === '301245' && mapping.via === 'zns' && mapping.data.ma === '{{voucher.code}}';
  }, 'the Zalo template mapping form saves the template, the route and the parameters');
  check(true, 'a Zalo template mapping with its parameters is made through a form');
  // Back from Zalo's permission page, the settings say how connecting the OA went.
  await page.goto(`${base}/admin#/settings/zalo-state_invalid`);
  await page.waitForSelector('#connect-outcome:has-text("hết hạn hoặc đã dùng")');
  check(true, 'the settings say, in Vietnamese, why connecting the OA did not work');
  // The shop's CRM hears of stage changes: a webhook registered in the settings.
  await page.fill('#webhook-url', 'ftp://crm');
  await page.check('input[data-webhook-event="customer.stage_changed"]');
  await page.click('#webhook-create');
  await page.waitForSelector('#webhook-error:has-text("url")');
  await page.fill('#webhook-url', 'http://127.0.0.1:9/pheu');
  await page.click('#webhook-create');
  await page.waitForSelector('#webhooks .webhook strong:has-text("http://127.0.0.1:9/pheu")');
  const hooks = (await call(base, 'GET', '/api/v1/webhooks')).body.items;
  check(hooks.length === 1 && hooks[0].events[0] === 'customer.stage_changed' && hooks[0].secret.startsWith('whsec_'),
    'a webhook endpoint is registered from the settings, its secret shown to copy');
  await page.screenshot({ path: join(screenshots, 'settings-webhooks.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.waitForSelector('main[data-ready="settings"]');
  const settingsWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(settingsWidth <= 390, `the settings with a webhook and its secret fit a 390 px phone (${settingsWidth} px)`);
  await page.screenshot({ path: join(screenshots, 'phone-settings-webhooks.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(screenshots, 'settings.png'), fullPage: true });

  // The journey timings can be edited: one step's hours, saved and read back from the API.
  await page.goto(`${base}/admin#/playbook`);
  await page.waitForSelector('main[data-ready="playbook"]');
  await page.fill('input[data-step="hour_4"]', '6');
  await page.fill('input[data-journey-holdout="cart_reminder"]', '20');
  await page.locator('.card', { has: page.locator('input[data-step="hour_4"]') }).locator('button').click();
  await eventually(async () => {
    const journey = (await call(base, 'GET', '/api/v1/playbook')).body.journeys.find((item) => item.id === 'cart_reminder');
    return journey.steps[0].after_hours === 6 && journey.holdout_percent === 20;
  }, 'the cart reminder waits 6 hours once saved in the console');
  check(true, 'a journey step edited in the console is saved');
  await page.goto(`${base}/admin#/playbook`);
  await page.waitForSelector('main[data-ready="playbook"]');
  await page.uncheck('input[data-rule="fallback"]');
  await eventually(async () => (await call(base, 'GET', '/api/v1/playbook')).body.rules.find((rule) => rule.id === 'fallback').enabled === false,
    'switching a rule off in the console saves it');
  check(true, 'a playbook toggle is saved');
  // An A/B test on a journey step: its rule tries a second template on half the customers.
  await page.selectOption('select[data-variant-of="lead_day_1"]', 'thanks_reply');
  await eventually(async () => {
    const rule = (await call(base, 'GET', '/api/v1/playbook')).body.rules.find((item) => item.id === 'lead_day_1');
    return rule.variants && rule.variants.length === 2 && rule.variants[1].template === 'thanks_reply' && rule.variants[0].template === 'lead_day_1';
  }, 'a second template chosen in the console makes the rule try both');
  await page.selectOption('select[data-variant-of="lead_day_1"]', '');
  await eventually(async () => !(await call(base, 'GET', '/api/v1/playbook')).body.rules.find((item) => item.id === 'lead_day_1').variants,
    'choosing no second template ends the test');
  check(true, 'a rule\'s A/B test is started and ended in the console');
  check(pageErrors.length === 0, 'no script error on any screen' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
  console.log(`screenshots in ${screenshots}`);
} catch (error) {
  if (failurePage) await failurePage.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true });
  throw error;
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
