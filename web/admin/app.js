// pheu's web console: a small single-page app over the admin API (/api/v1), in Vietnamese.
// No framework and no build step: the file is compiled into pheu and served at /admin.
// Every text that comes from the shop's data is set with textContent, never as HTML.
'use strict';

const STAGES = [
  ['new_lead', 'Lead mới'], ['new_customer', 'Khách hàng mới'],
  ['frequent_buyer', 'Khách mua nhiều'], ['dormant', 'Ngủ đông'],
];
const STAGE_LABEL = Object.fromEntries(STAGES);
const STATUS_LABEL = { sandboxed: 'Thử nghiệm', queued: 'Đang chờ', sent: 'Đã gửi', failed: 'Lỗi', skipped: 'Bỏ qua' };
const CHANNEL_LABEL = { zalo: 'Zalo', messenger: 'Messenger', none: '—' };
const TOKEN_KEY = 'pheu.admin_token';
const ROLE_LABEL = { owner: 'Chủ shop', marketer: 'Marketing', staff: 'Nhân viên' };
// Who is signed in: a person's session ({ name, role, permissions, csrf }) or the admin token
// (every permission); null until known. The server decides what each role may do and says so
// in its session; the console only hides what would be refused.
let who = null;
const ALL_PERMISSIONS = ['conversations', 'marketing', 'personal_data', 'shop_settings', 'people'];
const may = (permission) => Boolean(who && who.permissions.includes(permission));

// ---- small helpers ---------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// Replaces an element's children; arrays (from .map) are flattened, as h() does.
function fill(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : document.createTextNode(String(child)))));
}

const money = (amount) => new Intl.NumberFormat('vi-VN').format(amount || 0) + 'đ';
const percent = (rate) => (100 * (rate || 0)).toFixed(1).replace('.', ',') + '%';
const when = (text) => (text ? new Date(text).toLocaleString('vi-VN') : '—');

function toast(text) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3000);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// ---- the API ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, error) {
    super(error.message || ('HTTP ' + status));
    this.status = status;
    this.error = error;
  }
}

// The admin token when the console was opened with it; otherwise the session cookie goes by
// itself, and a change carries the session's CSRF token.
function credentialHeaders(method) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) return { Authorization: 'Bearer ' + token };
  return method !== 'GET' && who && who.csrf ? { 'X-CSRF-Token': who.csrf } : {};
}

// Who the browser is signed in as, asked once per page load.
async function findWho() {
  if (sessionStorage.getItem(TOKEN_KEY)) {
    who = { name: 'Mã quản trị', role: 'owner', permissions: ALL_PERMISSIONS, csrf: null };
    return;
  }
  const response = await fetch('/api/v1/session');
  if (!response.ok) { who = null; return; }
  const session = await response.json();
  who = { name: session.user.name, role: session.user.role, permissions: session.permissions, csrf: session.csrf_token };
}

async function api(method, path, body, contentType = 'application/json') {
  const headers = credentialHeaders(method);
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch(path, { method, headers, body: payload });
  if (response.status === 401) {
    // A session that ended, or a token that stopped working, leads back to sign-in.
    sessionStorage.removeItem(TOKEN_KEY);
    who = null;
    if (document.getElementById('main').dataset.screen !== 'login') location.hash = '#/login';
    throw new ApiError(401, { code: 'unauthorized', message: 'Phiên đăng nhập đã hết, hãy đăng nhập lại' });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, (data && data.error) || {});
  return data;
}

// What an API error means, in Vietnamese first; the server's sentence follows for the detail
// (the range allowed, the id not found), and the field it names.
const ERROR_LABEL = {
  invalid_field: 'Giá trị chưa hợp lệ', invalid_filter: 'Điều kiện nhóm chưa hợp lệ', invalid_query: 'Bộ lọc chưa hợp lệ',
  invalid_json: 'Dữ liệu không đọc được', invalid_template: 'Mẫu tin có lỗi cú pháp', not_found: 'Không tìm thấy',
  already_exists: 'Mã này đã có', in_use: 'Đang được sử dụng, chưa xoá được', no_open_channel: 'Không kênh nào gửi được cho khách lúc này',
  not_retryable: 'Tin này không gửi lại được', invalid_state: 'Không thực hiện được ở trạng thái hiện tại', no_pattern: 'Chiến dịch chưa có mẫu mã',
  unauthorized: 'Phiên đăng nhập không hợp lệ', too_many_failed_authentications: 'Đăng nhập sai quá nhiều lần, thử lại sau',
  forbidden: 'Vai trò của bạn không được làm việc này', csrf_token_missing: 'Phiên làm việc đã cũ, hãy tải lại trang',
  invalid_credentials: 'Tên đăng nhập hoặc mật khẩu không đúng', token_refused: 'Facebook không chấp nhận mã truy cập này',
  token_for_other_page: 'Mã truy cập này của một trang khác', graph_unreachable: 'Chưa liên lạc được với Facebook, thử lại sau',
  public_base_url_missing: 'Cần đặt public_base_url (địa chỉ https của pheu) trong cấu hình', last_owner: 'Cửa hàng cần ít nhất một chủ shop đang hoạt động',
  payload_too_large: 'Dữ liệu quá lớn', storage_unavailable: 'Máy chủ đang bận ghi dữ liệu, thử lại sau', rate_limited: 'Thao tác quá nhanh, thử lại sau',
};
function describe(error) {
  if (!(error instanceof ApiError)) return String(error);
  const where = error.error.line ? ` (dòng ${error.error.line}, cột ${error.error.column})`
    : error.error.path ? ` (${error.error.path})` : '';
  const label = ERROR_LABEL[error.error.code];
  return label ? `${label}${where}: ${error.message}` : error.message + where;
}

// ---- screens ---------------------------------------------------------------------------

const screens = {};

screens.login = (main) => {
  const name = h('input', { type: 'text', id: 'user-name', autocomplete: 'username', placeholder: 'Tên đăng nhập' });
  const password = h('input', { type: 'password', id: 'user-password', autocomplete: 'current-password', placeholder: 'Mật khẩu' });
  const problem = h('p', { class: 'error', id: 'login-error' });
  const signIn = async (event) => {
    event.preventDefault();
    sessionStorage.removeItem(TOKEN_KEY);
    const response = await fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: name.value.trim(), password: password.value }) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      problem.textContent = 'Không đăng nhập được: ' + describe(new ApiError(response.status, data.error || {}));
      return;
    }
    // The cookie is Secure: a browser on plain http (not localhost) drops it without a word.
    if (!(await fetch('/api/v1/session')).ok) {
      problem.textContent = 'Trình duyệt không giữ được phiên đăng nhập: hãy mở bảng điều khiển qua https (hoặc trên chính máy chủ, localhost).';
      return;
    }
    who = { name: data.user.name, role: data.user.role, permissions: data.permissions, csrf: data.csrf_token };
    location.hash = '#/' + firstScreen();
  };
  const token = h('input', { type: 'password', id: 'token', placeholder: 'admin_token', autocomplete: 'off' });
  const useToken = async (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    await findWho();
    try {
      await api('GET', '/api/v1/settings');
      location.hash = '#/dashboard';
    } catch (error) {
      problem.textContent = 'Không đăng nhập được: ' + describe(error);
    }
  };
  const form = h('form', { class: 'card login', onsubmit: signIn },
    h('h1', {}, 'Đăng nhập'), name, password, h('button', { type: 'submit', id: 'sign-in' }, 'Đăng nhập'), problem,
    h('details', { id: 'token-sign-in' }, h('summary', {}, 'Dùng mã quản trị'),
      h('p', { class: 'muted' }, 'Lần đầu dùng pheu: nhập mã quản trị (admin_token trong cấu hình), rồi tạo tài khoản chủ shop ở mục Tài khoản.'),
      token, h('button', { type: 'button', id: 'token-submit', class: 'secondary', onclick: useToken }, 'Vào bằng mã quản trị')));
  main.append(form);
  name.focus();
};

function funnelChart(stages) {
  const width = 1000;
  const max = Math.max(1, ...STAGES.map(([id]) => stages[id] || 0));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${STAGES.length * 44}`, width: '100%', role: 'img', 'aria-label': 'Phễu khách hàng' });
  STAGES.forEach(([id, label], i) => {
    const count = stages[id] || 0;
    const bar = Math.max(2, Math.round((width - 220) * count / max));
    chart.append(
      svg('text', { x: 0, y: i * 44 + 26 }, label),
      svg('rect', { x: 140, y: i * 44 + 8, width: bar, height: 28, rx: 4, class: 'bar-' + id }),
      svg('text', { x: 148 + bar, y: i * 44 + 27, 'data-testid': 'chart-' + id }, String(count)));
  });
  return chart;
}

function perDayChart(days) {
  const width = 1000;
  const height = 200;
  const max = Math.max(1, ...days.flatMap((day) => STAGES.map(([id]) => day.stages[id] || 0)));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, width: '100%', role: 'img', 'aria-label': 'Theo ngày' });
  for (const [id] of STAGES) {
    const points = days.map((day, i) =>
      `${Math.round(i * (width - 10) / Math.max(1, days.length - 1)) + 5},${Math.round(height - (height - 10) * (day.stages[id] || 0) / max)}`);
    chart.append(svg('polyline', { points: points.join(' '), class: 'line-' + id }));
  }
  if (days.length) {
    chart.append(svg('text', { x: 0, y: height + 16 }, days[0].date), svg('text', { x: width - 90, y: height + 16 }, days[days.length - 1].date));
  }
  return chart;
}

function figure(label, value, testid) {
  return h('div', { class: 'figure' }, h('div', { class: 'value', 'data-testid': testid }, value), h('div', { class: 'label' }, label));
}

screens.dashboard = async (main) => {
  const report = await api('GET', '/api/v1/reports/funnel');
  const conversion = report.conversion;
  main.append(
    h('h1', {}, 'Tổng quan'),
    h('div', { class: 'grid' },
      STAGES.map(([id, label]) => figure(label, String(report.stages[id]), 'stage-' + id)),
      figure('Tổng khách hàng', String(report.total), 'stage-total')),
    h('div', { class: 'card' }, h('h2', {}, 'Phễu hôm nay'), funnelChart(report.stages)),
    h('div', { class: 'card' }, h('h2', {}, `Theo ngày (${report.period.from} – ${report.period.to})`), perDayChart(report.per_day),
      h('p', { class: 'muted' }, STAGES.map(([, label]) => label).join(' · '))),
    h('h2', {}, 'Tỉ lệ chuyển đổi trong kỳ'),
    h('div', { class: 'grid' },
      figure('Lead → khách hàng', percent(conversion.lead_to_customer.rate), 'conversion-lead'),
      figure('Khách mới → mua nhiều', percent(conversion.customer_to_frequent.rate), 'conversion-frequent'),
      figure('Rơi vào ngủ đông', percent(conversion.to_dormant.rate), 'conversion-dormant'),
      figure('Ngủ đông quay lại', percent(conversion.dormant_back.rate), 'conversion-back'),
      figure('Giỏ hàng được cứu', `${report.carts.recovered}/${report.carts.reminded}`, 'carts')),
    h('h2', {}, 'Doanh thu theo giai đoạn'),
    h('div', { class: 'grid' }, STAGES.map(([id, label]) => figure(label, money(report.revenue_by_stage[id]), 'revenue-' + id))),
    h('h2', {}, 'Voucher'),
    h('table', {}, h('tr', {}, h('th', {}, 'Chiến dịch'), h('th', {}, 'Đã phát'), h('th', {}, 'Đã dùng'), h('th', {}, 'Tỉ lệ')),
      report.vouchers.map((row) => h('tr', {}, h('td', {}, row.campaign), h('td', {}, row.issued), h('td', {}, row.redeemed), h('td', {}, percent(row.rate))))),
    h('h2', {}, 'Tin nhắn'),
    h('div', { class: 'grid' }, Object.entries(report.messages.by_status).map(([status, count]) => figure(STATUS_LABEL[status] || status, String(count), 'messages-' + status))),
    h('table', {}, h('tr', {}, h('th', {}, 'Lý do bỏ qua / lỗi'), h('th', {}, 'Số tin')),
      Object.entries(report.messages.by_reason).map(([reason, count]) => h('tr', {}, h('td', {}, reason), h('td', {}, count)))));
};

screens.templates = async (main) => {
  const list = h('div', { class: 'list', id: 'template-list' });
  const editorArea = h('div');
  const previewArea = h('div');
  main.append(h('h1', {}, 'Mẫu tin'), h('div', { class: 'split' }, list, editorArea, previewArea));

  async function renderList(selected) {
    const templates = (await api('GET', '/api/v1/templates')).items;
    fill(list, 
      h('button', { class: 'secondary', onclick: createTemplate }, '+ Mẫu mới'),
      templates.map((template) => h('button', {
        class: template.id === selected ? 'active' : '', 'data-template': template.id,
        onclick: () => open(template.id),
      }, template.id, h('div', { class: 'muted' }, template.purpose))));
  }

  async function createTemplate() {
    const id = prompt('Mã mẫu tin mới (chữ thường, số, gạch dưới):');
    if (!id) return;
    try {
      await api('POST', '/api/v1/templates', { id, body: 'Chào {{customer.name}}!' });
      await open(id);
    } catch (error) { toast(describe(error)); }
  }

  async function open(id) {
    await renderList(id);
    const template = await api('GET', '/api/v1/templates/' + encodeURIComponent(id));
    const body = h('textarea', { id: 'template-body', rows: 16 });
    body.value = template.body;
    const problem = h('p', { class: 'error', id: 'template-error' });
    const saved = h('p', { class: 'ok', id: 'template-saved' });
    // Names no message holds ({{khach.ten}}): saved all the same, but they show as nothing.
    const warnings = h('ul', { class: 'warning', id: 'template-warnings' });
    const showWarnings = (list) => fill(warnings, ...(list || []).map((warning) =>
      h('li', {}, `Dòng ${warning.line}, cột ${warning.column}: {{${warning.name}}} không có trong dữ liệu tin nhắn, sẽ hiện trống.`)));
    const customer = h('input', { type: 'text', id: 'preview-customer', placeholder: 'Mã khách hàng (để trống: khách mẫu)' });
    const channel = h('select', { id: 'preview-channel' }, h('option', { value: 'zalo' }, 'Zalo'), h('option', { value: 'messenger' }, 'Messenger'));
    const bubble = h('div', { class: 'bubble', id: 'preview-text' });
    const buttons = h('div', { class: 'buttons-preview' });
    const versions = h('ul', { class: 'muted' });

    const preview = async () => {
      try {
        const request = { body: body.value, channel: channel.value };
        if (customer.value.trim()) request.customer_id = customer.value.trim();
        const result = await api('POST', `/api/v1/templates/${encodeURIComponent(id)}/preview`, request);
        bubble.textContent = result.text;
        fill(buttons, ...(result.payload.buttons || []).map((button) => h('span', {}, button.title)));
        showWarnings(result.warnings);
        problem.textContent = '';
        body.classList.remove('invalid');
      } catch (error) {
        problem.textContent = describe(error);
        body.classList.add('invalid');
      }
    };
    const showVersions = async () => {
      const items = (await api('GET', `/api/v1/templates/${encodeURIComponent(id)}/versions`)).items;
      fill(versions, ...items.map((version) => h('li', {}, `v${version.version} · ${when(version.updated_at)} `,
        version.version === items[0].version ? '(hiện tại)' : h('button', {
          class: 'link', onclick: async () => {
            await api('POST', `/api/v1/templates/${encodeURIComponent(id)}/rollback`, { version: version.version });
            toast(`Đã khôi phục phiên bản ${version.version}`);
            open(id);
          },
        }, 'khôi phục'))));
    };
    body.addEventListener('input', debounce(preview, 250));
    customer.addEventListener('input', debounce(preview, 400));
    channel.addEventListener('change', preview);
    fill(editorArea, 
      h('h2', {}, id, ' ', h('span', { class: 'muted', id: 'template-version' }, 'v' + template.version)),
      h('p', { class: 'muted' }, template.purpose),
      body, problem, warnings,
      h('div', { class: 'row' },
        h('button', {
          id: 'template-save', onclick: async () => {
            try {
              const result = await api('PUT', '/api/v1/templates/' + encodeURIComponent(id), { body: body.value });
              saved.textContent = `Đã lưu phiên bản ${result.version}`;
              showWarnings(result.warnings);
              document.getElementById('template-version').textContent = 'v' + result.version;
              showVersions();
            } catch (error) { problem.textContent = describe(error); }
          },
        }, 'Lưu'),
        h('button', {
          class: 'secondary', onclick: async () => {
            if (!confirm(`Xoá mẫu ${id}?`)) return;
            try { await api('DELETE', '/api/v1/templates/' + encodeURIComponent(id)); toast('Đã xoá'); renderList(); fill(editorArea); }
            catch (error) { toast(describe(error)); }
          },
        }, 'Xoá'), saved),
      h('h2', {}, 'Các phiên bản'), versions);
    fill(previewArea, h('h2', {}, 'Xem trước'), h('div', { class: 'row' }, customer, channel), bubble, buttons,
      h('p', { class: 'muted' }, 'Cập nhật khi bạn gõ. Xem trước không cấp mã voucher thật.'));
    preview();
    showVersions();
  }

  await renderList();
  const first = location.hash.split('/')[2];
  if (first) await open(decodeURIComponent(first));
};

// A rule's conditions in words: "Khách hàng mới · chưa từ chối nhận tin".
function describeConditions(conditions = {}) {
  const parts = [];
  if ((conditions.stages || []).length) parts.push(conditions.stages.map((id) => STAGE_LABEL[id] || id).join(' hoặc '));
  if (conditions.opted_in) parts.push('chưa từ chối nhận tin');
  if (conditions.cart_not_empty) parts.push('giỏ hàng còn sản phẩm');
  if (conditions.no_purchase_since_anchor) parts.push('chưa mua từ khi bắt đầu hành trình');
  if ((conditions.channels || []).length) parts.push('kênh ' + conditions.channels.map((id) => CHANNEL_LABEL[id] || id).join(', '));
  return parts.join(' · ') || 'Mọi khách';
}

// Every trigger a rule may answer, with its Vietnamese label: what the shopper asked, what
// happened, a stage entered, each journey step.
function triggerChoices(playbook) {
  const triggers = ['first_contact', 'survey_answered'];
  for (const [id] of STAGES) triggers.push('stage_entered:' + id);
  for (const type of ['follow', 'purchase', 'order_cancelled', 'cart_updated', 'game_played', 'miniapp_opened', 'membership_joined', 'form_submitted', 'product_viewed', 'birthday_known']) triggers.push('event:' + type);
  for (const intent of Object.keys(INTENT_LABEL)) triggers.push('keyword:' + intent);
  for (const journey of playbook.journeys) for (const step of journey.steps) triggers.push(`journey:${journey.id}/${step.id}`);
  return triggers;
}

// A rule as a form: when, to whom, with which template and voucher, how often.
function ruleForm(rule, context, onSaved) {
  const { playbook, templateOptions, campaigns } = context;
  const triggers = triggerChoices(playbook);
  if (!triggers.includes(rule.trigger)) triggers.push(rule.trigger);
  const trigger = h('select', { 'data-field': 'trigger' }, triggers.map((id) => h('option', { value: id, selected: id === rule.trigger }, triggerLabel(id))));
  const campaign = h('select', { 'data-field': 'campaign' }, h('option', { value: '' }, 'Không kèm voucher'),
    campaigns.map((item) => h('option', { value: item.id, selected: item.id === rule.campaign }, `${item.description} (${item.id})${item.active ? '' : ' — tạm dừng'}`)));
  const fallback = h('select', { 'data-field': 'when_no_voucher' }, h('option', { value: '' }, 'Không gửi'),
    templateOptions.map((id) => h('option', { value: id, selected: id === rule.when_no_voucher }, id)));
  const cooldown = h('input', { type: 'number', min: 0, value: rule.cooldown_hours || 0, 'data-field': 'cooldown_hours' });
  // A promotion the shop sends on its own (a stage entered) may keep a control group, to
  // measure what it earns; an answer to what a shopper said or did never does, and a
  // journey's steps share the journey's group.
  const promotional = rule.promotional !== false && rule.trigger.startsWith('stage_entered:');
  const holdout = h('input', { type: 'number', min: 0, max: 50, value: rule.holdout_percent || 0, 'data-field': 'holdout_percent' });
  const conditions = rule.conditions || {};
  const stages = STAGES.map(([id, label]) => [id, h('input', { type: 'checkbox', checked: (conditions.stages || []).includes(id), 'data-stage': id }), label]);
  const optedIn = h('input', { type: 'checkbox', checked: Boolean(conditions.opted_in), 'data-field': 'opted_in' });
  const cart = h('input', { type: 'checkbox', checked: Boolean(conditions.cart_not_empty), 'data-field': 'cart_not_empty' });
  const problem = h('p', { class: 'error' });
  const save = async () => {
    const body = { trigger: trigger.value, campaign: campaign.value, when_no_voucher: fallback.value, cooldown_hours: Number(cooldown.value || 0),
      holdout_percent: promotional ? Number(holdout.value || 0) : 0,
      conditions: { ...conditions, stages: stages.filter(([, box]) => box.checked).map(([id]) => id), opted_in: optedIn.checked, cart_not_empty: cart.checked } };
    try { await api('PUT', '/api/v1/playbook/rules/' + encodeURIComponent(rule.id), body); problem.textContent = ''; toast('Đã lưu quy tắc'); onSaved(); }
    catch (error) { problem.textContent = describe(error); }
  };
  return h('div', { class: 'rule-form', 'data-rule-form': rule.id },
    h('div', { class: 'row' }, h('label', {}, 'Khi ', trigger)),
    h('div', { class: 'row' }, 'Cho khách: ', stages.map(([, box, label]) => h('label', {}, box, ' ', label)), h('span', { class: 'muted' }, ' (không chọn: mọi giai đoạn)')),
    h('div', { class: 'row' }, h('label', {}, optedIn, ' Chỉ khách chưa từ chối nhận tin'), h('label', {}, cart, ' Giỏ hàng còn sản phẩm')),
    h('div', { class: 'row' }, h('label', {}, 'Kèm voucher ', campaign), h('label', {}, 'Hết mã thì gửi ', fallback)),
    h('div', { class: 'row' }, h('label', {}, 'Không gửi lại trong ', cooldown, ' giờ'),
      promotional ? h('label', {}, 'Nhóm đối chứng (không nhận tin, để đo hiệu quả) ', holdout, ' %') : ''),
    h('button', { 'data-action': 'save-rule', onclick: save }, 'Lưu quy tắc'), problem);
}

screens.playbook = async (main) => {
  const [playbook, templates, vouchers] = await Promise.all([api('GET', '/api/v1/playbook'), api('GET', '/api/v1/templates'), api('GET', '/api/v1/vouchers')]);
  const templateOptions = templates.items.map((template) => template.id);
  const context = { playbook, templateOptions, campaigns: vouchers.items };
  const reload = () => route();
  const rules = h('table', { id: 'rules' }, h('tr', {}, h('th', {}, 'Bật'), h('th', {}, 'Khi'), h('th', {}, 'Mẫu tin'), h('th', {}, 'Thử mẫu B (50/50)'), h('th', {}, 'Cho khách'), h('th', {}, 'Voucher'), h('th', {})));
  for (const rule of playbook.rules) {
    const toggle = h('input', { type: 'checkbox', 'data-rule': rule.id, checked: rule.enabled });
    toggle.addEventListener('change', async () => {
      try { await api('PUT', '/api/v1/playbook/rules/' + encodeURIComponent(rule.id), { enabled: toggle.checked }); toast('Đã lưu'); }
      catch (error) { toast(describe(error)); toggle.checked = !toggle.checked; }
    });
    const select = h('select', {}, templateOptions.map((id) => h('option', { value: id, selected: id === rule.template }, id)));
    // An A/B test: half the customers get template B, chosen the same way each time; the
    // results screen shows each template's sends, purchases and revenue.
    const variantB = rule.variants && rule.variants.length > 1 ? rule.variants[1].template : '';
    const other = h('select', { 'data-variant-of': rule.id }, h('option', { value: '' }, '— không thử —'),
      templateOptions.map((id) => h('option', { value: id, selected: id === variantB }, id)));
    const save = async () => {
      const variants = other.value && other.value !== select.value
        ? [{ template: select.value, weight: 1 }, { template: other.value, weight: 1 }] : null;
      try { await api('PUT', '/api/v1/playbook/rules/' + encodeURIComponent(rule.id), { template: select.value, variants }); toast('Đã lưu'); }
      catch (error) { toast(describe(error)); }
    };
    select.addEventListener('change', save);
    other.addEventListener('change', save);
    const campaign = vouchers.items.find((item) => item.id === rule.campaign);
    const editor = h('tr', { class: 'rule-editor', hidden: true }, h('td', { colspan: 7 }, ruleForm(rule, context, reload)));
    rules.append(h('tr', { 'data-rule-row': rule.id }, h('td', {}, toggle),
      h('td', {}, triggerLabel(rule.trigger), h('div', { class: 'muted' }, rule.id)), h('td', {}, select), h('td', {}, other),
      h('td', { class: 'muted' }, describeConditions(rule.conditions)), h('td', {}, campaign ? campaign.description : '—'),
      h('td', {}, h('button', { class: 'secondary', 'data-edit-rule': rule.id, onclick: () => { editor.hidden = !editor.hidden; } }, 'Sửa'))), editor);
  }
  const journeys = playbook.journeys.map((journey) => {
    const toggle = h('input', { type: 'checkbox', checked: journey.enabled, 'data-journey': journey.id });
    const inputs = journey.steps.map((step) => {
      const hours = step.after_hours !== undefined ? step.after_hours : (step.after_days || 0) * 24;
      const input = h('input', { type: 'number', min: 0, value: hours, 'data-step': step.id });
      return [step.id, input];
    });
    const holdout = h('input', { type: 'number', min: 0, max: 50, value: journey.holdout_percent || 0, 'data-journey-holdout': journey.id });
    const problem = h('span', { class: 'error' });
    return h('div', { class: 'card' }, h('div', { class: 'row' }, toggle, h('strong', {}, JOURNEY_LABEL[journey.id] || journey.id),
      h('span', { class: 'muted' }, `bắt đầu khi: ${triggerLabel(journey.start_on)} · dừng khi: ${(journey.ends_on || []).map(triggerLabel).join(', ') || '—'}`)),
    h('div', { class: 'row' }, inputs.map(([id, input]) => h('label', {}, `Bước ${STEP_LABEL(id)}: sau `, input, ' giờ'))),
    h('div', { class: 'row' }, h('label', {}, 'Nhóm đối chứng (không nhận bước nào, để đo hiệu quả) ', holdout, ' %')),
    h('div', { class: 'row' }, h('button', {
      onclick: async () => {
        const steps = inputs.map(([id, input]) => ({ id, after_hours: Number(input.value) }));
        try {
          await api('PUT', '/api/v1/playbook/journeys/' + encodeURIComponent(journey.id), { enabled: toggle.checked, steps, holdout_percent: Number(holdout.value || 0) });
          problem.textContent = '';
          toast('Đã lưu hành trình');
        } catch (error) { problem.textContent = describe(error); }
      },
    }, 'Lưu hành trình'), problem));
  });
  main.append(h('h1', {}, 'Kịch bản'), h('h2', {}, 'Quy tắc trả lời'), rules, h('h2', {}, 'Hành trình chăm sóc'), ...journeys);
};

screens.customers = async (main) => {
  const search = h('input', { type: 'search', id: 'customer-search', placeholder: 'Tên, số điện thoại hoặc mã' });
  const stage = h('select', {}, h('option', { value: '' }, 'Mọi giai đoạn'), STAGES.map(([id, label]) => h('option', { value: id }, label)));
  const temperature = h('select', {}, h('option', { value: '' }, 'Mọi mức độ'), h('option', { value: 'hot' }, 'Nóng'),
    h('option', { value: 'warm' }, 'Ấm'), h('option', { value: 'cold' }, 'Lạnh'));
  const table = h('table', { id: 'customer-table' });
  const detail = h('div', { id: 'customer-detail' });
  const query = () => {
    const params = new URLSearchParams();
    if (search.value.trim()) params.set('q', search.value.trim());
    if (stage.value) params.set('stage', stage.value);
    if (temperature.value) params.set('temperature', temperature.value);
    return params;
  };
  const load = async () => {
    const page = await api('GET', '/api/v1/customers?' + query());
    fill(table, h('tr', {}, h('th', {}, 'Mã'), h('th', {}, 'Tên'), h('th', {}, 'Điện thoại'), h('th', {}, 'Giai đoạn'), h('th', {}, 'Đơn'), h('th', {}, 'Chi tiêu')),
      page.items.map((customer) => h('tr', { class: 'clickable', 'data-customer': customer.id, onclick: () => openCustomer(customer.id) },
        h('td', {}, customer.id), h('td', {}, customer.name || '—'), h('td', {}, customer.phone || '—'),
        h('td', {}, h('span', { class: 'badge ' + customer.stage }, STAGE_LABEL[customer.stage]), customer.temperature ? ' ' + (TEMPERATURE_LABEL[customer.temperature] || customer.temperature) : ''),
        h('td', {}, customer.orders_count), h('td', {}, money(customer.total_spent)))));
  };
  const exportCsv = () => download('/api/v1/customers/export.csv?' + query(), 'pheu-customers.csv');
  // A shopper's request under Decree 13/2023: a copy of their data, or its erasure.
  const downloadData = async (id) => {
    const data = await api('GET', `/api/v1/customers/${id}/export`);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    h('a', { href: URL.createObjectURL(blob), download: `pheu-khach-${id}.json` }).click();
  };
  const eraseData = async (id, name) => {
    const question = `Xoá vĩnh viễn dữ liệu cá nhân của ${name}? Tên, số điện thoại, địa chỉ, tài khoản Zalo/Messenger ` +
      'và nội dung tin nhắn sẽ bị xoá; số liệu báo cáo được giữ nguyên. Không thể hoàn tác.';
    if (!confirm(question)) return;
    await api('DELETE', '/api/v1/customers/' + id);
    await load();
    await openCustomer(id);
  };
  async function openCustomer(id) {
    const [customer, messages] = await Promise.all([api('GET', '/api/v1/customers/' + id), api('GET', `/api/v1/customers/${id}/messages`)]);
    const title = customer.name || 'Khách #' + customer.id;
    fill(detail, h('div', { class: 'card' },
      h('h2', {}, title, ' ', h('span', { class: 'badge ' + customer.stage }, STAGE_LABEL[customer.stage])),
      // Personal data leaves or is erased by the owner alone.
      may('personal_data') ? h('div', { class: 'row' },
        h('button', { class: 'secondary', id: 'customer-download', onclick: () => downloadData(customer.id) }, 'Tải dữ liệu của khách'),
        h('button', { class: 'secondary danger', id: 'customer-erase', onclick: () => eraseData(customer.id, title) }, 'Xoá dữ liệu cá nhân')) : null,
      h('p', { class: 'muted' }, customer.identities.map((identity) => `${identity.channel}: ${identity.id}`).join(' · ')),
      h('p', {}, `${customer.orders_count} đơn · ${money(customer.total_spent)} · lần cuối tương tác ${when(customer.last_interaction_at)}`),
      h('h2', {}, 'Cuộc trò chuyện'),
      conversationOf(customer, messages.items),
      replyBox(customer)));
  }
  // A staff member's one-off reply: sent on the open channel, and pheu keeps out of the
  // conversation for the handoff time.
  function replyBox(customer) {
    const text = h('textarea', { id: 'reply-text', rows: 3, maxlength: 2000, placeholder: 'Trả lời khách…' });
    const problem = h('p', { class: 'error', id: 'reply-error' });
    return h('div', { class: 'reply' }, text, h('div', { class: 'row' },
      h('button', { id: 'reply-send', onclick: async () => {
        try {
          await api('POST', `/api/v1/customers/${customer.id}/reply`, { text: text.value });
          toast('Đã gửi. Phễu tạm dừng trả lời khách này trong thời gian nhân viên tiếp quản.');
          await openCustomer(customer.id);
        } catch (error) {
          problem.textContent = error instanceof ApiError && error.error.code === 'no_open_channel'
            ? 'Không gửi được: khách chưa tương tác với OA trong 7 ngày và không nhắn Messenger trong 24 giờ.' : describe(error);
        }
      } }, 'Gửi'), h('span', { class: 'muted' }, ' Gửi qua kênh khách đang mở; Phễu tạm dừng tự trả lời trong thời gian tiếp quản.')), problem);
  }
  search.addEventListener('input', debounce(load, 300));
  stage.addEventListener('change', load);
  temperature.addEventListener('change', load);
  main.append(h('h1', {}, 'Khách hàng'), h('div', { class: 'row' }, search, stage, temperature,
    may('personal_data') ? h('button', { class: 'secondary', id: 'customers-export', onclick: exportCsv }, 'Xuất CSV (quảng cáo)') : null), table, detail);
  await load();
  // #/customers/<id> (a link from the messages list) opens that customer.
  if (location.hash.split('/')[2]) await openCustomer(location.hash.split('/')[2]);
};

screens.messages = async (main) => {
  const status = h('select', {}, h('option', { value: '' }, 'Mọi trạng thái'), Object.entries(STATUS_LABEL).map(([id, label]) => h('option', { value: id }, label)));
  const reason = h('select', {}, h('option', { value: '' }, 'Mọi lý do'),
    ['opted_out', 'daily_cap', 'weekly_cap', 'quiet_hours', 'human_handoff', 'unreachable', 'held_out', 'window_closed', 'outside_window', 'no_voucher', 'no_product']
      .map((code) => h('option', { value: code }, REASON_LABEL[code])));
  const table = h('table');
  const load = async () => {
    const params = new URLSearchParams({ limit: '100' });
    if (status.value) params.set('status', status.value);
    if (reason.value.trim()) params.set('reason', reason.value.trim());
    const page = await api('GET', '/api/v1/messages?' + params);
    fill(table, h('tr', {}, h('th', {}, 'Lúc'), h('th', {}, 'Khách'), h('th', {}, 'Kênh'), h('th', {}, 'Trạng thái'), h('th', {}, 'Nguyên nhân'), h('th', {}, 'Nội dung'), h('th', {})),
      page.items.map((message) => h('tr', { 'data-message': message.id }, h('td', {}, when(message.created_at)),
        h('td', {}, h('a', { href: `#/customers/${message.customer_id}` }, message.customer_id)), h('td', {}, CHANNEL_LABEL[message.channel] || message.channel),
        h('td', {}, h('span', { class: 'badge ' + message.status }, STATUS_LABEL[message.status]),
          message.reason ? h('div', { class: 'muted reason', title: message.reason }, reasonLabel(message.reason)) : ''),
        h('td', { class: 'muted' }, triggerLabel(message.trigger)),
        h('td', { class: 'message-text' }, message.text || ''),
        h('td', {}, message.status === 'failed' ? h('button', {
          class: 'secondary', onclick: async () => {
            try { await api('POST', `/api/v1/messages/${message.id}/retry`); toast('Đã xếp hàng gửi lại'); load(); }
            catch (error) { toast(describe(error)); }
          },
        }, 'Gửi lại') : ''))));
  };
  status.addEventListener('change', load);
  reason.addEventListener('change', load);
  main.append(h('h1', {}, 'Tin nhắn'), h('div', { class: 'row' }, status, reason), table);
  await load();
};

// One campaign's terms as a form: what the code gives, how long it lasts, how many a customer
// may hold, which stages may get one, and whether it is running.
function campaignForm(campaign, onSaved) {
  const description = h('input', { type: 'text', value: campaign.description, 'data-field': 'description' });
  const days = h('input', { type: 'number', min: 1, max: 3650, value: campaign.validity_days, 'data-field': 'validity_days' });
  const limit = h('input', { type: 'number', min: 1, max: 1000, value: campaign.per_customer_limit, 'data-field': 'per_customer_limit' });
  const stages = STAGES.map(([id, label]) => [id, h('input', { type: 'checkbox', checked: campaign.eligible_stages.includes(id), 'data-stage': id }), label]);
  const problem = h('p', { class: 'error' });
  const save = async (extra = {}) => {
    const body = { description: description.value.trim(), validity_days: Number(days.value), per_customer_limit: Number(limit.value),
      eligible_stages: stages.filter(([, box]) => box.checked).map(([id]) => id), ...extra };
    try { await api('PUT', `/api/v1/vouchers/${campaign.id}`, body); problem.textContent = ''; toast('Đã lưu chiến dịch'); onSaved(); }
    catch (error) { problem.textContent = describe(error); }
  };
  return h('div', { class: 'campaign-form', 'data-campaign': campaign.id },
    h('div', { class: 'row' }, h('label', {}, 'Ưu đãi ', description), h('label', {}, 'Hiệu lực ', days, ' ngày'), h('label', {}, 'Mỗi khách tối đa ', limit, ' mã')),
    h('div', { class: 'row' }, 'Giai đoạn được nhận: ', stages.map(([, box, label]) => h('label', {}, box, ' ', label)),
      h('span', { class: 'muted' }, ' (không chọn: mọi giai đoạn)')),
    h('div', { class: 'row' }, h('button', { 'data-action': 'save', onclick: () => save() }, 'Lưu'),
      h('button', { class: 'secondary', 'data-action': campaign.active ? 'pause' : 'resume', onclick: () => save({ active: !campaign.active }) },
        campaign.active ? 'Tạm dừng phát mã' : 'Tiếp tục phát mã')), problem);
}

screens.vouchers = async (main) => {
  const table = h('table', { id: 'campaigns' });
  const load = async () => {
    const campaigns = (await api('GET', '/api/v1/vouchers')).items;
    fill(table, h('tr', {}, h('th', {}, 'Chiến dịch'), h('th', {}, 'Mô tả'), h('th', {}, 'Trạng thái'), h('th', {}, 'Mẫu mã'), h('th', {}, 'Đã phát'), h('th', {}, 'Đã dùng'), h('th', {}, 'Còn trong kho'), h('th', {})),
      campaigns.flatMap((campaign) => {
        const editor = h('tr', { class: 'campaign-editor', hidden: true }, h('td', { colspan: 8 }, campaignForm(campaign, load)));
        return [h('tr', { 'data-campaign': campaign.id }, h('td', {}, campaign.id), h('td', {}, campaign.description),
          h('td', {}, h('span', { class: 'badge ' + (campaign.active ? 'sent' : 'skipped') }, campaign.active ? 'Đang phát' : 'Tạm dừng')),
          h('td', {}, campaign.code_pattern || '—'), h('td', {}, campaign.issued), h('td', {}, campaign.redeemed), h('td', {}, campaign.pool_available),
          h('td', {}, h('button', { class: 'secondary', 'data-action': 'edit', onclick: () => { editor.hidden = !editor.hidden; } }, 'Sửa'), ' ',
            campaign.code_pattern ? h('button', {
              class: 'secondary', onclick: async () => {
                const count = Number(prompt('Tạo bao nhiêu mã?', '100'));
                if (!count) return;
                try { const result = await api('POST', `/api/v1/vouchers/${campaign.id}/generate`, { count }); toast(`Đã tạo ${result.added} mã`); load(); }
                catch (error) { toast(describe(error)); }
              },
            }, 'Tạo mã') : '')), editor];
      }));
  };
  const fields = { id: h('input', { type: 'text', placeholder: 'tet_2027', id: 'campaign-id' }), description: h('input', { type: 'text', placeholder: 'Giảm 15% dịp Tết', id: 'campaign-description' }),
    code_pattern: h('input', { type: 'text', placeholder: 'TET-****', id: 'campaign-pattern' }), validity_days: h('input', { type: 'number', value: 14, min: 1, id: 'campaign-days' }) };
  const labels = { id: 'Mã chiến dịch', description: 'Ưu đãi', code_pattern: 'Mẫu mã', validity_days: 'Hiệu lực (ngày)' };
  const problem = h('p', { class: 'error' });
  const create = h('div', { class: 'card' }, h('h2', {}, 'Chiến dịch mới'),
    h('div', { class: 'row' }, Object.entries(fields).map(([name, input]) => h('label', {}, labels[name] + ' ', input))),
    h('p', { class: 'muted' }, 'Mẫu mã như TET-****: * là chữ hoặc số ngẫu nhiên, # là số, ? là chữ. Để trống nếu bạn nhập mã có sẵn.'),
    h('button', {
      id: 'campaign-create',
      onclick: async () => {
        const body = { id: fields.id.value.trim(), description: fields.description.value.trim(), validity_days: Number(fields.validity_days.value) };
        if (fields.code_pattern.value.trim()) body.code_pattern = fields.code_pattern.value.trim();
        try { await api('POST', '/api/v1/vouchers', body); problem.textContent = ''; toast('Đã tạo chiến dịch'); load(); }
        catch (error) { problem.textContent = describe(error); }
      },
    }, 'Tạo'), problem);
  const codes = h('textarea', { rows: 4, placeholder: 'Mỗi dòng một mã' });
  const campaign = h('input', { type: 'text', placeholder: 'Mã chiến dịch' });
  const imported = h('p', { class: 'muted' });
  const importCard = h('div', { class: 'card' }, h('h2', {}, 'Nhập mã có sẵn'), h('div', { class: 'row' }, campaign), codes,
    h('button', {
      onclick: async () => {
        const list = codes.value.split(/\s+/).filter(Boolean);
        try { const result = await api('POST', `/api/v1/vouchers/${encodeURIComponent(campaign.value.trim())}/codes`, { codes: list }); imported.textContent = `Thêm ${result.added}, đã có ${result.already_known}`; load(); }
        catch (error) { imported.textContent = describe(error); }
      },
    }, 'Nhập'), imported);
  main.append(h('h1', {}, 'Voucher'), table, create, importCard);
  await load();
};

screens.catalog = async (main) => {
  const table = h('table');
  const load = async () => {
    const products = (await api('GET', '/api/v1/products')).items;
    fill(table, h('tr', {}, h('th', {}, 'SKU'), h('th', {}, 'Tên'), h('th', {}, 'Danh mục'), h('th', {}, 'Giá'), h('th', {}, 'Còn hàng')),
      products.map((product) => h('tr', {}, h('td', {}, product.sku), h('td', {}, product.name), h('td', {}, product.category),
        h('td', {}, money(product.price)), h('td', {}, product.in_stock ? 'Có' : 'Hết'))));
  };
  const file = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', id: 'catalog-file' });
  const result = h('div', { id: 'catalog-result' });
  const upload = async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    const text = await chosen.text();
    const isCsv = chosen.name.toLowerCase().endsWith('.csv');
    try {
      const answer = await api('POST', '/api/v1/products', isCsv ? text : JSON.parse(text), isCsv ? 'text/csv' : 'application/json');
      fill(result, h('p', { class: 'ok' }, `Đã cập nhật ${answer.upserted} sản phẩm`));
      load();
    } catch (error) {
      const rows = (error.error && error.error.rows) || [];
      fill(result, h('p', { class: 'error' }, describe(error)),
        h('ul', { class: 'error' }, rows.map((row) => h('li', {}, `Dòng ${row.row}: ${row.message} (${row.path})`))));
    }
  };
  file.addEventListener('change', upload);
  main.append(h('h1', {}, 'Sản phẩm'), h('div', { class: 'card' }, h('h2', {}, 'Nhập danh mục'),
    h('p', { class: 'muted' }, 'Tệp CSV với dòng tiêu đề: sku,name,category,price,url,image_url,in_stock; hoặc tệp JSON {"products":[…]}. Có lỗi thì không lưu gì và liệt kê từng dòng lỗi.'),
    file, result), table);
  await load();
};

// Each setting as a form: [path in the setting's object, label, input type, hint]. The raw
// JSON stays under "Nâng cao" for what the form does not cover.
const SETTING_FORMS = {
  send_policy: [
    ['daily_cap', 'Tối đa tin khuyến mãi mỗi khách mỗi ngày', 'number'],
    ['weekly_cap', 'Tối đa tin khuyến mãi mỗi khách mỗi tuần', 'number'],
    ['quiet_hours.start', 'Giờ yên lặng từ', 'time'], ['quiet_hours.end', 'đến', 'time'],
    ['handoff_minutes', 'Khi nhân viên trả lời, Phễu tạm dừng (phút)', 'number'],
  ],
  stage_thresholds: [
    ['frequent_min_orders', 'Khách mua nhiều: từ số đơn', 'number'], ['frequent_window_days', 'trong số ngày gần nhất', 'number'],
    ['dormant_after_days', 'Ngủ đông: đơn cuối cách đây hơn (ngày)', 'number'], ['dormant_quiet_days', 'và không tương tác trong (ngày)', 'number'],
  ],
  stage_tags: STAGES.map(([id, label]) => [id, `Nhãn Zalo cho "${label}"`, 'text']),
  shop: [
    ['name', 'Tên cửa hàng', 'text'], ['hotline', 'Hotline', 'text'], ['address', 'Địa chỉ', 'text'], ['hours', 'Giờ mở cửa', 'text'],
    ['website', 'Website', 'text'], ['community_url', 'Nhóm cộng đồng (Zalo/Facebook)', 'text'], ['size_guide_url', 'Bảng size', 'text'],
    ['shipping', 'Giao hàng', 'textarea'], ['payment', 'Thanh toán', 'textarea'], ['returns', 'Đổi trả', 'textarea'],
  ],
  message_prices: [
    ['zalo_consultation', 'Tin tư vấn Zalo trong 48 giờ (đ/tin)', 'number'], ['zalo_consultation_late', 'Tin tư vấn Zalo từ 48 giờ đến 7 ngày', 'number'],
    ['zalo_template', 'Mẫu tin Zalo đã duyệt', 'number'], ['zns', 'ZNS theo số điện thoại', 'number'], ['messenger', 'Messenger trong 24 giờ', 'number'],
  ],
  attribution: [['window_days', 'Tính đơn hàng cho tin nhắn trong (ngày) sau khi nhận hoặc bấm', 'number']],
};
const SETTING_TITLES = [
  ['send_policy', 'Giới hạn gửi và giờ yên lặng'], ['stage_thresholds', 'Ngưỡng giai đoạn'], ['stage_tags', 'Nhãn Zalo theo giai đoạn'],
  ['shop', 'Thông tin cửa hàng'], ['message_prices', 'Giá mỗi tin nhắn'], ['attribution', 'Ghi nhận đơn hàng cho tin nhắn'],
  ['zalo_templates', 'Mẫu tin Zalo/ZNS khi quá 7 ngày'],
];
const readPath = (object, path) => path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
function writePath(object, path, value) {
  const keys = path.split('.');
  let target = object;
  for (const key of keys.slice(0, -1)) target = target[key] = { ...(target[key] || {}) };
  target[keys[keys.length - 1]] = value;
}

function settingForm(key, value, onSaved) {
  const fields = (SETTING_FORMS[key] || []).map(([path, label, type]) => {
    const current = readPath(value, path);
    const input = type === 'textarea' ? h('textarea', { rows: 2, 'data-path': path }) : h('input', { type, 'data-path': path, min: type === 'number' ? 0 : undefined });
    input.value = current === undefined || current === null ? '' : current;
    return [path, type, h('label', { class: 'setting-field' }, h('span', {}, label), input), input];
  });
  const raw = h('textarea', { rows: 8, 'data-setting': key });
  raw.value = JSON.stringify(value, null, 2);
  const problem = h('p', { class: 'error' });
  const put = async (body) => {
    try { const saved = await api('PUT', '/api/v1/settings/' + key, body); problem.textContent = ''; toast('Đã lưu'); onSaved(key, saved); }
    catch (error) { problem.textContent = describe(error); }
  };
  const fromForm = () => {
    const body = JSON.parse(JSON.stringify(value));
    for (const [path, type, , input] of fields) writePath(body, path, type === 'number' ? Number(input.value) : input.value);
    return body;
  };
  // Stage thresholds: how many customers each stage would hold under the values typed, before
  // saving them.
  const preview = h('p', { class: 'muted', id: 'stage-preview' });
  const previewButton = key === 'stage_thresholds' ? h('button', { class: 'secondary', 'data-action': 'preview-stages', onclick: async () => {
    try {
      const result = await api('POST', '/api/v1/settings/stage_thresholds/preview', fromForm());
      preview.textContent = 'Với ngưỡng này: ' + STAGES.map(([id, label]) => `${label} ${result.stages[id]}`).join(' · ');
      problem.textContent = '';
    } catch (error) { problem.textContent = describe(error); }
  } }, 'Xem trước') : '';
  return h('div', { class: 'setting-form', 'data-setting-form': key },
    fields.length ? [h('div', { class: 'setting-fields' }, fields.map(([, , label]) => label)),
      h('div', { class: 'row' }, h('button', { 'data-action': 'save-setting', onclick: () => put(fromForm()) }, 'Lưu'), previewButton), preview] : '',
    h('details', { open: fields.length ? undefined : true }, h('summary', {}, fields.length ? 'Nâng cao (JSON)' : 'JSON'), raw,
      h('button', { class: 'secondary', onclick: () => {
        let body;
        try { body = JSON.parse(raw.value); } catch (error) { problem.textContent = 'JSON không hợp lệ: ' + error.message; return; }
        put(body);
      } }, 'Lưu JSON')), problem);
}

// The Zalo template mappings as rows: which pheu template goes, past Zalo's 7-day window, as
// which approved Zalo template (by user id or ZNS by phone), with each parameter filled from
// the message's data, one "name = {{…}}" a line.
function zaloTemplatesForm(mappings, templateOptions, onSaved) {
  const rows = h('div', { class: 'mapping-rows' });
  const addRow = (templateId = '', mapping = {}) => {
    const template = h('select', { 'data-field': 'template' }, h('option', { value: '' }, '— chọn mẫu tin —'),
      templateOptions.map((id) => h('option', { value: id, selected: id === templateId }, id)));
    const zaloId = h('input', { type: 'text', value: mapping.template_id || '', placeholder: 'Mã mẫu Zalo, vd. 301245', 'data-field': 'template_id' });
    const via = h('select', { 'data-field': 'via' }, h('option', { value: 'uid', selected: mapping.via !== 'zns' }, 'Theo Zalo ID (người quan tâm OA)'),
      h('option', { value: 'zns', selected: mapping.via === 'zns' }, 'ZNS theo số điện thoại'));
    const data = h('textarea', { rows: 3, 'data-field': 'data', placeholder: 'ten = {{customer.name}}\nma = {{voucher.code}}' });
    data.value = Object.entries(mapping.data || {}).map(([name, value]) => `${name} = ${value}`).join('\n');
    const row = h('div', { class: 'mapping-row card' }, h('div', { class: 'row' }, h('label', {}, 'Mẫu tin ', template), h('label', {}, 'Mẫu Zalo ', zaloId), h('label', {}, 'Gửi ', via)),
      h('label', { class: 'setting-field' }, h('span', {}, 'Tham số (mỗi dòng: tên = giá trị)'), data),
      h('button', { class: 'secondary danger', onclick: () => row.remove() }, 'Bỏ'));
    row.read = () => {
      const parameters = {};
      for (const line of data.value.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) parameters[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return [template.value, { template_id: zaloId.value.trim(), via: via.value, data: parameters }];
    };
    rows.append(row);
  };
  for (const [templateId, mapping] of Object.entries(mappings || {})) addRow(templateId, mapping);
  const problem = h('p', { class: 'error' });
  return h('div', { 'data-setting-form': 'zalo_templates' },
    h('p', { class: 'muted' }, 'Sau 7 ngày khách không tương tác với OA, Zalo chỉ nhận mẫu tin đã duyệt. Mẫu tin nào có ánh xạ ở đây sẽ được gửi bằng mẫu Zalo tương ứng.'),
    rows, h('div', { class: 'row' }, h('button', { class: 'secondary', 'data-action': 'add-mapping', onclick: () => addRow() }, 'Thêm ánh xạ'),
      h('button', { 'data-action': 'save-setting', onclick: async () => {
        const body = Object.fromEntries([...rows.children].map((row) => row.read()).filter(([id]) => id));
        try { const saved = await api('PUT', '/api/v1/settings/zalo_templates', body); problem.textContent = ''; toast('Đã lưu'); onSaved(saved); }
        catch (error) { problem.textContent = describe(error); }
      } }, 'Lưu')), problem);
}

// How connecting a Zalo OA went, as the callback reports it (/admin#/settings/zalo-<outcome>).
const ZALO_CONNECT_OUTCOME = {
  connected: 'Đã kết nối Zalo OA: pheu gửi tin bằng quyền truy cập mới từ bây giờ.',
  state_invalid: 'Liên kết kết nối đã hết hạn hoặc đã dùng: hãy bấm Kết nối lại.',
  other_oa: 'Bạn đã cấp quyền cho một OA khác trên trang của Zalo: hãy chọn đúng OA.',
  refused: 'Quyền truy cập chưa được cấp trên trang của Zalo.',
  code_refused: 'Zalo không chấp nhận mã cấp quyền: hãy thử kết nối lại.',
};

// Why an account does not work, in Vietnamese first; the platform's own words follow.
function connectionProblem(reason) {
  if (/^not connected yet/.test(reason)) return 'chưa kết nối.';
  return `nền tảng từ chối quyền truy cập, hãy kết nối lại (${reason}).`;
}

// A Facebook page connects with a page access token, which pheu checks with Facebook first.
function pageTokenForm(pageId, problem) {
  const token = h('input', { type: 'password', autocomplete: 'off', placeholder: 'Mã truy cập trang', 'data-page-token': pageId });
  return h('div', { class: 'row' }, token, h('button', {
    class: 'secondary', 'data-action': 'connect-page',
    onclick: async () => {
      try {
        await api('PUT', `/api/v1/connections/messenger/${encodeURIComponent(pageId)}`, { page_access_token: token.value });
        problem.textContent = ''; toast('Đã kết nối trang Facebook'); route();
      } catch (error) { problem.textContent = describe(error); }
    },
  }, 'Kết nối trang'));
}

screens.settings = async (main) => {
  const [settings, templates, connections] = await Promise.all([api('GET', '/api/v1/settings'), api('GET', '/api/v1/templates'), api('GET', '/api/v1/connections')]);
  main.append(h('h1', {}, 'Cài đặt'), h('p', { class: 'muted' }, `Múi giờ: ${settings.timezone} (trong tệp cấu hình)`));
  // Which OA and page pheu sends from, and whether the platform still accepts their credentials.
  const ACCOUNT_LABEL = { zalo: 'Zalo OA', messenger: 'Trang Facebook' };
  const connectProblem = h('p', { class: 'error', id: 'connect-error' });
  // A Zalo OA connects through Zalo's permission page, which sends the browser back here.
  const connectZalo = async (oaId) => {
    try { location.href = (await api('POST', `/api/v1/connections/zalo/${encodeURIComponent(oaId)}/authorize`, {})).url; }
    catch (error) { connectProblem.textContent = describe(error); }
  };
  const outcome = (location.hash.split('/')[2] || '').replace(/^zalo-/, '');
  const outcomeNote = ZALO_CONNECT_OUTCOME[outcome]
    ? h('p', { class: outcome === 'connected' ? 'ok' : 'error', id: 'connect-outcome' }, ZALO_CONNECT_OUTCOME[outcome]) : null;
  main.append(h('div', { class: 'card', id: 'connections' }, h('h2', {}, 'Kết nối nền tảng'), outcomeNote,
    connections.items.length ? h('table', {}, connections.items.map((connection) => h('tr', { 'data-connection': `${connection.channel}:${connection.account_id}` },
      h('td', {}, `${ACCOUNT_LABEL[connection.channel] || connection.channel} ${connection.account_id}`),
      h('td', {}, h('span', { class: 'badge ' + (connection.working ? 'sent' : 'failed') }, connection.working ? 'Đang hoạt động' : 'Chưa hoạt động')),
      h('td', { class: 'muted' }, connection.working ? '' : `Từ ${when(connection.since)}: ${connectionProblem(connection.reason)}`),
      h('td', {}, connection.channel === 'zalo'
        ? h('button', { class: connection.working ? 'secondary' : '', 'data-action': 'connect-zalo', onclick: () => connectZalo(connection.account_id) },
          connection.working ? 'Kết nối lại' : 'Kết nối')
        : pageTokenForm(connection.account_id, connectProblem)))))
      : h('p', { class: 'muted' }, 'Chưa kết nối Zalo OA hay trang Facebook nào (chế độ thử nghiệm).'), connectProblem));
  for (const [key, title] of SETTING_TITLES) {
    const card = h('div', { class: 'card' }, h('h2', {}, title));
    const draw = (saved) => {
      fill(card, h('h2', {}, title), key === 'zalo_templates'
        ? zaloTemplatesForm(saved, templates.items.map((item) => item.id), draw) : settingForm(key, saved, (_, again) => draw(again)));
    };
    draw(settings[key]);
    main.append(card);
  }
  main.append(await webhooksCard());
};

// The shop's outbound webhooks: where pheu posts what happens, and how each delivery went.
const WEBHOOK_EVENTS = [
  ['customer.stage_changed', 'Khách đổi giai đoạn'], ['voucher.issued', 'Phát voucher'], ['voucher.redeemed', 'Khách dùng voucher'],
  ['message.failed', 'Tin nhắn gửi lỗi'], ['customer.opted_out', 'Khách ngừng nhận tin'],
];
const WEBHOOK_EVENT_LABEL = Object.fromEntries(WEBHOOK_EVENTS);
const DELIVERY_STATUS_LABEL = { pending: 'Đang chờ', delivered: 'Đã nhận', failed: 'Bỏ cuộc' };

async function webhooksCard() {
  const card = h('div', { class: 'card', id: 'webhooks' });
  const problem = h('p', { class: 'error', id: 'webhook-error' });
  const url = h('input', { type: 'text', id: 'webhook-url', placeholder: 'https://crm.shop.vn/pheu' });
  const boxes = WEBHOOK_EVENTS.map(([id, label]) => [id, h('input', { type: 'checkbox', 'data-webhook-event': id }), label]);
  const draw = async () => {
    const endpoints = (await api('GET', '/api/v1/webhooks')).items;
    const rows = await Promise.all(endpoints.map(async (endpoint) => {
      const deliveries = (await api('GET', `/api/v1/webhooks/${endpoint.id}/deliveries?limit=5`)).items;
      return h('div', { class: 'webhook', 'data-webhook': endpoint.id },
        h('div', { class: 'row' }, h('strong', {}, endpoint.url),
          h('span', { class: 'muted' }, endpoint.events.map((event) => WEBHOOK_EVENT_LABEL[event] || event).join(', ')),
          h('button', { class: 'danger secondary', 'data-action': 'delete-webhook', onclick: async () => {
            if (!confirm('Xoá địa chỉ nhận này?')) return;
            try { await api('DELETE', `/api/v1/webhooks/${endpoint.id}`); draw(); } catch (error) { problem.textContent = describe(error); }
          } }, 'Xoá')),
        h('p', { class: 'muted' }, `Khoá ký (webhook-signature): `, h('code', { class: 'secret' }, endpoint.secret),
          ` · đã nhận ${endpoint.deliveries.delivered}, đang chờ ${endpoint.deliveries.pending}, bỏ cuộc ${endpoint.deliveries.failed}`),
        deliveries.length ? h('table', { class: 'deliveries' }, h('tr', {}, h('th', {}, 'Sự kiện'), h('th', {}, 'Trạng thái'), h('th', {}, 'Lần gửi'), h('th', {}, 'Lúc')),
          deliveries.map((delivery) => h('tr', { 'data-delivery': delivery.id },
            h('td', {}, WEBHOOK_EVENT_LABEL[delivery.event_type] || delivery.event_type),
            h('td', {}, h('span', { class: 'badge ' + ({ delivered: 'sent', pending: 'queued', failed: 'failed' }[delivery.status]) },
              DELIVERY_STATUS_LABEL[delivery.status] || delivery.status), delivery.last_error ? h('span', { class: 'muted' }, ' ' + delivery.last_error) : ''),
            h('td', {}, delivery.attempts), h('td', {}, when(delivery.delivered_at || delivery.created_at)))))
          : h('p', { class: 'muted' }, 'Chưa có lần gửi nào.'));
    }));
    fill(card, h('h2', {}, 'Webhook: báo cho hệ thống khác'),
      h('p', { class: 'muted' }, 'pheu gửi (POST, JSON, ký theo Standard Webhooks) mỗi sự kiện bạn chọn đến địa chỉ của bạn, và gửi lại khi chưa nhận được.'),
      rows, h('div', { class: 'row' }, h('label', {}, 'Địa chỉ nhận ', url)),
      h('div', { class: 'row' }, boxes.map(([, box, label]) => h('label', {}, box, ' ', label))),
      h('button', { id: 'webhook-create', onclick: async () => {
        const events = boxes.filter(([, box]) => box.checked).map(([id]) => id);
        try { await api('POST', '/api/v1/webhooks', { url: url.value.trim(), events }); problem.textContent = ''; url.value = ''; toast('Đã thêm địa chỉ nhận'); draw(); }
        catch (error) { problem.textContent = describe(error); }
      } }, 'Thêm'), problem);
  };
  await draw();
  return card;
}

// ---- segments and broadcasts ------------------------------------------------------------

const REACH = [['', 'Mọi khách'], ['any', 'Liên hệ được qua bất kỳ kênh nào'], ['zalo', 'Đang theo dõi Zalo OA'],
  ['messenger', 'Nhắn Messenger trong 24 giờ qua'], ['zns', 'Có số điện thoại (ZNS)']];
const RANGES = [['orders_count', 'Số đơn'], ['total_spent', 'Tổng chi (đ)'], ['last_order_days_ago', 'Đơn gần nhất (ngày trước)'],
  ['last_interaction_days_ago', 'Tương tác gần nhất (ngày trước)'], ['first_seen_days_ago', 'Biết shop từ (ngày trước)']];
const BROADCAST_STATUS = { scheduled: 'Đã lên lịch', sending: 'Đang gửi', paused: 'Tạm dừng', done: 'Hoàn tất', cancelled: 'Đã huỷ' };

// Downloads an admin CSV with the credentials (a plain link could not send the token).
async function download(path, name) {
  const response = await fetch(path, { headers: credentialHeaders('GET') });
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name });
  link.click();
  URL.revokeObjectURL(link.href);
}

// What shoppers asked (keyword:<intent>), what happened (event:<type>) and the built-in
// journeys, as a shop owner reads them. An id the shop made itself shows as it was written.
const INTENT_LABEL = {
  voucher: 'hỏi khuyến mãi', product_advice: 'nhờ tư vấn', product_price: 'hỏi giá', product_stock: 'hỏi còn hàng',
  size_advice: 'hỏi size', shipping: 'hỏi giao hàng', payment: 'hỏi thanh toán', order_support: 'hỏi về đơn hàng',
  returns: 'hỏi đổi trả', order_request: 'muốn đặt hàng', order_details: 'gửi thông tin đặt hàng', shop_info: 'hỏi địa chỉ shop', help: 'cần trợ giúp',
  greeting: 'chào shop', thanks: 'cảm ơn', stop: 'từ chối nhận tin', stop_unclear: 'có thể muốn dừng nhận tin',
  start: 'nhận tin trở lại', get_started: 'bấm Bắt đầu', fallback: 'tin nhắn chưa hiểu',
};
const EVENT_LABEL = {
  follow: 'Quan tâm OA', unfollow: 'Bỏ quan tâm OA', purchase: 'Mua hàng', order_cancelled: 'Huỷ đơn', shop_order: 'Đơn từ Zalo Shop',
  cart_updated: 'Cập nhật giỏ hàng', cart_cleared: 'Xoá giỏ hàng', game_played: 'Chơi game', miniapp_opened: 'Mở Mini App',
  membership_joined: 'Đăng ký thành viên', product_viewed: 'Xem sản phẩm', form_submitted: 'Gửi biểu mẫu', phone_shared: 'Chia sẻ số điện thoại',
  birthday_known: 'Biết ngày sinh', message: 'Nhắn tin', info_submitted: 'Gửi thông tin', chat_opened: 'Mở khung chat',
  delivered: 'Đã nhận tin', seen: 'Đã xem tin', reaction: 'Thả cảm xúc', echo: 'Tin từ OA', tag_changed: 'Gắn thẻ',
};
const JOURNEY_LABEL = { lead_cadence: 'Chăm sóc khách tiềm năng', cart_reminder: 'Nhắc giỏ hàng', new_customer_care: 'Chăm sóc khách mới', birthday: 'Sinh nhật' };
const STEP_LABEL = (step) => step.replace(/^day_(\d+)$/, 'ngày $1').replace(/^hour_(\d+)$/, 'sau $1 giờ');

function triggerLabel(trigger) {
  const [kind, rest] = [trigger.split(':')[0], trigger.slice(trigger.indexOf(':') + 1)];
  switch (kind) {
    case 'stage_entered': return 'Vào giai đoạn ' + (STAGE_LABEL[rest] || rest);
    case 'keyword': return 'Khách ' + (INTENT_LABEL[rest] || rest);
    case 'event': return 'Sự kiện: ' + (EVENT_LABEL[rest] || rest);
    case 'first_contact': return 'Lần đầu nhắn tin';
    case 'survey_answered': return 'Trả lời khảo sát';
    case 'staff_reply': return 'Nhân viên trả lời';
    case 'broadcast': return 'Gửi hàng loạt #' + rest;
    case 'broadcast_test': return 'Gửi thử #' + rest;
    case 'journey': {
      const [journey, step] = rest.split('/');
      return `Hành trình ${JOURNEY_LABEL[journey] || journey}, ${STEP_LABEL(step || '')}`;
    }
    default: return trigger;
  }
}

// Why a message was held, skipped or failed, as a shop owner reads it: the code before the
// first ':' names it; what follows is the detail, kept for the tooltip.
const REASON_LABEL = {
  opted_out: 'Khách đã từ chối nhận tin', daily_cap: 'Đã đủ số tin khuyến mãi trong ngày', weekly_cap: 'Đã đủ số tin khuyến mãi trong tuần',
  quiet_hours: 'Chờ hết giờ yên lặng', human_handoff: 'Nhân viên đang trò chuyện với khách', unreachable: 'Không liên hệ được khách',
  held_out: 'Thuộc nhóm đối chứng', over_budget: 'Vượt ngân sách', no_channel: 'Không kênh nào gửi được lúc này', late: 'Quá hạn gửi',
  no_voucher: 'Hết mã voucher', no_product: 'Không có sản phẩm phù hợp', empty_text: 'Mẫu tin không có nội dung', erased: 'Dữ liệu khách đã bị xoá',
  cancelled: 'Lượt gửi đã huỷ', outside_window: 'Quá 7 ngày khách chưa tương tác với OA', zalo_template: 'Gửi bằng mẫu tin Zalo đã duyệt',
  waiting_for_profile: 'Chờ lấy tên khách từ Zalo', waiting_for_oa_link: 'Chờ khách quan tâm OA', zalo_night: 'Zalo không nhận tin ban đêm, gửi buổi sáng',
  retrying: 'Đang thử gửi lại', window_closed: 'Hết thời hạn trả lời của nền tảng', messenger_window_closed: 'Quá 24 giờ trên Messenger',
  outcome_unknown: 'Chưa rõ đã gửi được chưa', not_allowed: 'Nền tảng không cho gửi', auth_expired: 'Mã truy cập hết hạn',
  account_stopped: 'Tài khoản OA/trang bị từ chối', rate_limited: 'Gửi quá nhanh, thử lại sau', server_error: 'Nền tảng đang lỗi',
  stale: 'Tin đã cũ, không gửi nữa', no_account: 'Chưa kết nối tài khoản', last: 'Bỏ qua',
};
function reasonLabel(reason) {
  if (!reason) return '';
  const code = reason.split(':')[0].trim();
  return REASON_LABEL[code] || reason;
}

const TEMPERATURE_LABEL = { hot: 'Nóng', warm: 'Ấm', cold: 'Lạnh' };

// A customer's conversation as it happened: what they wrote and did, what pheu and staff
// answered (with each message's status and why it was held or skipped), and stage changes,
// oldest first. pheu's own messages come back from the OA as echoes: only staff's are shown.
function conversationOf(customer, messages) {
  const entries = [];
  for (const event of customer.timeline) {
    const content = event.content || {};
    if (event.kind === 'message') {
      const text = content.text || ((content.attachments || []).length ? '[tệp đính kèm]' : '');
      entries.push({ at: event.occurred_at, side: 'shopper', channel: event.source, text });
    } else if (event.kind === 'echo') {
      if (content.admin_id) entries.push({ at: event.occurred_at, side: 'staff', channel: event.source, text: content.text || '', note: 'Nhân viên trả lời trên Zalo OA' });
    } else if (!['delivered', 'seen', 'reaction'].includes(event.kind)) {
      entries.push({ at: event.occurred_at, side: 'event', text: EVENT_LABEL[event.name] || EVENT_LABEL[event.kind] || event.name || event.kind });
    }
  }
  for (const message of messages) {
    entries.push({ at: message.created_at, side: message.trigger === 'staff_reply' ? 'staff' : 'pheu', channel: message.channel,
      text: message.text || '', status: message.status, reason: message.reason, trigger: message.trigger });
  }
  for (const change of customer.stage_history || []) {
    entries.push({ at: change.at, side: 'event', text: 'Chuyển sang giai đoạn ' + (STAGE_LABEL[change.to] || change.to) });
  }
  entries.sort((left, right) => (left.at < right.at ? -1 : left.at > right.at ? 1 : 0));
  const who = { shopper: 'Khách', pheu: 'Phễu', staff: 'Nhân viên' };
  return h('div', { class: 'conversation', id: 'conversation' }, entries.map((entry) => entry.side === 'event'
    ? h('div', { class: 'turn event' }, h('span', { class: 'muted' }, `${when(entry.at)} · ${entry.text}`))
    : h('div', { class: 'turn ' + entry.side, 'data-side': entry.side },
      h('div', { class: 'bubble' + (entry.status === 'skipped' || entry.status === 'failed' ? ' held' : '') }, entry.text || h('em', { class: 'muted' }, '(không có nội dung)')),
      h('div', { class: 'muted meta' }, [who[entry.side], CHANNEL_LABEL[entry.channel] || entry.channel, when(entry.at),
        entry.trigger && entry.trigger !== 'staff_reply' ? triggerLabel(entry.trigger) : null, entry.note].filter(Boolean).join(' · '), ' ',
        entry.status ? h('span', { class: 'badge ' + entry.status }, STATUS_LABEL[entry.status]) : '',
        entry.reason ? h('span', { class: 'reason', title: entry.reason }, ' ' + reasonLabel(entry.reason)) : ''))));
}

// A segment's filter as the shop reads it: "Khách hàng mới · Tổng chi từ 100.000đ".
function describeFilter(filter) {
  const parts = [];
  const list = (value) => (Array.isArray(value) ? value : [value]);
  if (filter.stage) parts.push(list(filter.stage).map((id) => STAGE_LABEL[id] || id).join(' hoặc '));
  for (let [key, label] of RANGES) {
    const range = filter[key];
    if (!range) continue;
    const show = (n) => (key === 'total_spent' ? money(n) : n);
    label = label.replace(' (đ)', '');
    if (range.min !== undefined && range.max !== undefined) parts.push(`${label} từ ${show(range.min)} đến ${show(range.max)}`);
    else if (range.min !== undefined) parts.push(`${label} từ ${show(range.min)}`);
    else if (range.max !== undefined) parts.push(`${label} đến ${show(range.max)}`);
  }
  if (filter.temperature) parts.push('Khách tiềm năng ' + list(filter.temperature).map((id) => TEMPERATURE_LABEL[id] || id).join(' hoặc ').toLowerCase());
  if (filter.bought_category) parts.push('Đã mua ' + list(filter.bought_category).join(', '));
  if (filter.bought_sku) parts.push('Đã mua mã ' + list(filter.bought_sku).join(', '));
  if (filter.viewed_category) parts.push('Đã xem ' + list(filter.viewed_category).join(', '));
  if (filter.viewed_sku) parts.push('Đã xem mã ' + list(filter.viewed_sku).join(', '));
  if (filter.city) parts.push('Ở ' + filter.city);
  if (filter.birthday_month) parts.push(`Sinh nhật tháng ${filter.birthday_month}`);
  if (filter.gender) parts.push(filter.gender === 'male' ? 'Nam' : 'Nữ');
  if (filter.voucher_held) parts.push('Đang giữ voucher ' + list(filter.voucher_held).join(', '));
  if (filter.voucher_redeemed) parts.push('Đã dùng voucher ' + list(filter.voucher_redeemed).join(', '));
  if (filter.opted_in) parts.push('Đã đồng ý nhận tin');
  if (filter.zalo_tag) parts.push('Thẻ Zalo ' + list(filter.zalo_tag).join(', '));
  if (filter.reachable) parts.push((REACH.find(([id]) => id === filter.reachable) || [, filter.reachable])[1]);
  return parts.length ? parts.join(' · ') : 'Mọi khách';
}

screens.segments = async (main) => {
  const name = h('input', { type: 'text', id: 'segment-name', placeholder: 'Khách quen ở Hà Nội' });
  const stages = STAGES.map(([id, label]) => [id, h('input', { type: 'checkbox', 'data-stage': id })]);
  const ranges = RANGES.map(([key, label]) => [key, label, h('input', { type: 'number', min: 0, 'data-range': key + '-min', placeholder: 'từ' }),
    h('input', { type: 'number', min: 0, 'data-range': key + '-max', placeholder: 'đến' })]);
  const category = h('input', { type: 'text', id: 'segment-category', placeholder: 'ao, giay' });
  const sku = h('input', { type: 'text', id: 'segment-sku', placeholder: 'AO-01' });
  const viewedCategory = h('input', { type: 'text', id: 'segment-viewed-category', placeholder: 'dam' });
  const temperature = h('select', { id: 'segment-temperature' }, h('option', { value: '' }, 'Mọi mức độ'),
    Object.entries(TEMPERATURE_LABEL).map(([id, label]) => h('option', { value: id }, label)));
  const gender = h('select', { id: 'segment-gender' }, h('option', { value: '' }, 'Mọi giới tính'), h('option', { value: 'female' }, 'Nữ'), h('option', { value: 'male' }, 'Nam'));
  const voucher = h('input', { type: 'text', id: 'segment-voucher', placeholder: 'mã chiến dịch' });
  const tag = h('input', { type: 'text', id: 'segment-tag', placeholder: 'VIP, Khách sỉ' });
  const consented = h('input', { type: 'checkbox', id: 'segment-opted-in' });
  const city = h('input', { type: 'text', id: 'segment-city', placeholder: 'Hà Nội, TP.HCM…' });
  const month = h('select', { id: 'segment-month' }, h('option', { value: '' }, 'Mọi tháng'),
    Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1 }, `Tháng ${i + 1}`)));
  const reach = h('select', { id: 'segment-reach' }, REACH.map(([id, label]) => h('option', { value: id }, label)));
  const count = h('strong', { id: 'segment-count' }, '…');
  const problem = h('p', { class: 'error', id: 'segment-error' });
  const filter = () => {
    const result = {};
    const chosen = stages.filter(([, box]) => box.checked).map(([id]) => id);
    if (chosen.length) result.stage = chosen;
    for (const [key, , min, max] of ranges) {
      const range = {};
      if (min.value !== '') range.min = Number(min.value);
      if (max.value !== '') range.max = Number(max.value);
      if (Object.keys(range).length) result[key] = range;
    }
    const names = (input) => input.value.split(',').map((text) => text.trim()).filter(Boolean);
    if (names(category).length) result.bought_category = names(category);
    if (names(sku).length) result.bought_sku = names(sku);
    if (names(viewedCategory).length) result.viewed_category = names(viewedCategory);
    if (temperature.value) result.temperature = temperature.value;
    if (gender.value) result.gender = gender.value;
    if (names(voucher).length) result.voucher_held = names(voucher);
    if (names(tag).length) result.zalo_tag = names(tag);
    if (consented.checked) result.opted_in = true;
    if (city.value.trim()) result.city = city.value.trim();
    if (month.value) result.birthday_month = Number(month.value);
    if (reach.value) result.reachable = reach.value;
    return result;
  };
  // Answers can come back out of order: only the latest question's answer is shown.
  let asked = 0;
  const recount = debounce(async () => {
    const question = ++asked;
    try {
      const answer = await api('POST', '/api/v1/segments/count', { filter: filter() });
      if (question === asked) { count.textContent = answer.count; problem.textContent = ''; }
    } catch (error) {
      if (question === asked) { count.textContent = '—'; problem.textContent = describe(error); }
    }
  }, 250);
  const table = h('table', { id: 'segments' });
  const load = async () => {
    const segments = (await api('GET', '/api/v1/segments')).items;
    fill(table, h('tr', {}, h('th', {}, 'Nhóm'), h('th', {}, 'Số khách'), h('th', {}, 'Điều kiện'), h('th', {})),
      segments.map((segment) => h('tr', { 'data-segment': segment.id }, h('td', {}, segment.name), h('td', { class: 'segment-size' }, segment.count),
        h('td', { class: 'muted' }, describeFilter(segment.filter)),
        h('td', {}, may('personal_data') ? h('button', { class: 'secondary', onclick: () => download(`/api/v1/segments/${segment.id}/export.csv`, `nhom-${segment.id}.csv`) }, 'Xuất CSV') : null, ' ',
          h('button', { class: 'secondary danger', onclick: async () => {
            if (!confirm(`Xoá nhóm "${segment.name}"?`)) return;
            try { await api('DELETE', `/api/v1/segments/${segment.id}`); toast('Đã xoá'); load(); } catch (error) { toast(describe(error)); }
          } }, 'Xoá')))));
  };
  const builder = h('div', { class: 'card' }, h('h2', {}, 'Nhóm mới'),
    h('div', { class: 'row' }, h('label', {}, 'Tên nhóm ', name)),
    h('div', { class: 'row' }, 'Giai đoạn: ', stages.map(([id, box]) => h('label', {}, box, ' ', STAGE_LABEL[id])),
      h('label', {}, 'Khách tiềm năng ', temperature)),
    ranges.map(([, label, min, max]) => h('div', { class: 'row' }, h('span', { class: 'range-label' }, label), min, max)),
    h('div', { class: 'row' }, h('label', {}, 'Đã mua danh mục ', category), h('label', {}, 'Đã mua mã SP ', sku), h('label', {}, 'Đã xem danh mục ', viewedCategory)),
    h('div', { class: 'row' }, h('label', {}, 'Thành phố ', city), h('label', {}, 'Sinh nhật ', month), h('label', {}, 'Giới tính ', gender)),
    h('div', { class: 'row' }, h('label', {}, 'Đang giữ voucher ', voucher), h('label', {}, 'Thẻ Zalo ', tag)),
    h('div', { class: 'row' }, h('label', {}, 'Kênh ', reach), h('label', {}, consented, ' Chỉ khách đã đồng ý nhận tin')),
    h('p', {}, 'Số khách trong nhóm lúc này: ', count, ' ', h('span', { class: 'muted' }, '(không tính khách đã từ chối nhận tin)')),
    h('button', { id: 'segment-save', onclick: async () => {
      try { await api('POST', '/api/v1/segments', { name: name.value.trim(), filter: filter() }); problem.textContent = ''; toast('Đã lưu nhóm'); load(); }
      catch (error) { problem.textContent = describe(error); }
    } }, 'Lưu nhóm'), problem);
  builder.addEventListener('input', recount);
  builder.addEventListener('change', recount);
  main.append(h('h1', {}, 'Nhóm khách hàng'), table, builder);
  await load();
  recount();
};

screens.broadcasts = async (main) => {
  const [segments, templates, vouchers] = await Promise.all([api('GET', '/api/v1/segments'), api('GET', '/api/v1/templates'), api('GET', '/api/v1/vouchers')]);
  const name = h('input', { type: 'text', id: 'broadcast-name', placeholder: 'Ưu đãi Tết' });
  const segment = h('select', { id: 'broadcast-segment' }, segments.items.map((item) => h('option', { value: item.id }, `${item.name} (${item.count} khách)`)));
  const template = h('select', { id: 'broadcast-template' }, templates.items.map((item) => h('option', { value: item.id }, item.id)));
  const templateB = h('select', { id: 'broadcast-template-b' }, h('option', { value: '' }, '— không thử —'),
    templates.items.map((item) => h('option', { value: item.id }, item.id)));
  const campaign = h('select', { id: 'broadcast-campaign' }, h('option', { value: '' }, 'Không kèm voucher'),
    vouchers.items.map((item) => h('option', { value: item.id }, `${item.id}: ${item.description}`)));
  const sendAt = h('input', { type: 'datetime-local', id: 'broadcast-send-at' });
  const holdout = h('input', { type: 'number', min: 0, max: 50, value: 0, id: 'broadcast-holdout' });
  const budget = h('input', { type: 'number', min: 0, id: 'broadcast-budget', placeholder: 'không giới hạn' });
  const problem = h('p', { class: 'error', id: 'broadcast-error' });
  const estimate = h('p', { id: 'broadcast-estimate', class: 'muted' });
  const ROUTE_LABEL = { zalo_consultation: 'Zalo (tin tư vấn)', zalo_template: 'Zalo (mẫu tin đã duyệt)', zns: 'ZNS', messenger: 'Messenger' };
  const table = h('table', { id: 'broadcasts' });
  const results = h('table', { id: 'message-results' });
  const action = (broadcast, what, label) => h('button', { class: 'secondary', 'data-action': what, onclick: async () => {
    try { await api('POST', `/api/v1/broadcasts/${broadcast.id}/${what}`); load(); } catch (error) { toast(describe(error)); }
  } }, label);
  const load = async () => {
    const [broadcasts, report] = await Promise.all([api('GET', '/api/v1/broadcasts'), api('GET', '/api/v1/reports/messages')]);
    fill(table, h('tr', {}, ['Tên', 'Trạng thái', 'Gửi lúc', 'Số khách', 'Đã gửi', 'Nhóm đối chứng', 'Bỏ qua', 'Chờ gửi', 'Chi phí', ''].map((title) => h('th', {}, title))),
      broadcasts.items.map((broadcast) => h('tr', { 'data-broadcast': broadcast.id },
        h('td', {}, broadcast.name), h('td', {}, h('span', { class: 'badge status-' + broadcast.status }, BROADCAST_STATUS[broadcast.status])),
        h('td', {}, when(broadcast.send_at)), h('td', {}, broadcast.audience), h('td', { class: 'broadcast-sent' }, broadcast.sent),
        h('td', {}, broadcast.held_out), h('td', {}, broadcast.skipped), h('td', {}, broadcast.waiting), h('td', {}, money(broadcast.cost_vnd)),
        h('td', {}, ['scheduled', 'sending'].includes(broadcast.status) ? action(broadcast, 'pause', 'Tạm dừng') : '',
          broadcast.status === 'paused' ? action(broadcast, 'resume', 'Tiếp tục') : '', ' ',
          ['scheduled', 'sending', 'paused'].includes(broadcast.status) ? action(broadcast, 'cancel', 'Huỷ') : '', ' ',
          h('button', { class: 'secondary', 'data-action': 'test', onclick: async () => {
            const customer = prompt('Thử gửi cho khách số (mã khách hàng):');
            if (!customer) return;
            try {
              const tried = await api('POST', `/api/v1/broadcasts/${broadcast.id}/test`, { customer_id: customer.trim() });
              toast(`${STATUS_LABEL[tried.status] || tried.status}: ${tried.text || tried.reason || ''}`);
            } catch (error) { toast(describe(error)); }
          } }, 'Thử')))));
    const lift = (row) => (row.lift ? `${percent(row.lift.lift)} (${percent(row.lift.low)} đến ${percent(row.lift.high)})` : '—');
    // One row per trigger; beneath it, one per template when it tried several (variants, or a fallback).
    const cells = (row) => [row.sent, row.delivered, row.seen, row.clicked, row.converted, money(row.revenue), money(row.cost_vnd)].map((value) => h('td', {}, value));
    fill(results, h('tr', {}, ['Tin', 'Đã gửi', 'Đã nhận', 'Đã xem', 'Đã bấm', 'Đơn', 'Doanh thu', 'Chi phí', 'Đối chứng', 'Đối chứng mua', 'Tăng thêm'].map((title) => h('th', {}, title))),
      report.items.flatMap((row) => [
        h('tr', { 'data-trigger': row.trigger }, h('td', {}, triggerLabel(row.trigger)), cells(row), h('td', {}, row.held_out), h('td', {}, row.control_converted), h('td', {}, lift(row))),
        ...(row.templates.length > 1 ? row.templates.map((variant) => h('tr', { class: 'variant', 'data-template': variant.template },
          h('td', {}, '↳ mẫu ', variant.template), cells(variant), h('td', {}, ''), h('td', {}, ''), h('td', {}, lift(variant)))) : []),
      ]));
  };
  const form = h('div', { class: 'card' }, h('h2', {}, 'Gửi tin mới'),
    h('div', { class: 'row' }, h('label', {}, 'Tên ', name), h('label', {}, 'Nhóm ', segment), h('label', {}, 'Mẫu tin ', template),
      h('label', {}, 'Thử mẫu B (50/50) ', templateB)),
    h('div', { class: 'row' }, h('label', {}, 'Voucher ', campaign), h('label', {}, 'Gửi lúc ', sendAt, h('span', { class: 'muted' }, ' (để trống: gửi ngay)'))),
    h('div', { class: 'row' }, h('label', {}, 'Nhóm đối chứng ', holdout, ' %'), h('label', {}, 'Ngân sách ', budget, ' đ')),
    h('p', { class: 'muted' }, 'Mỗi khách nhận qua kênh rẻ nhất đang mở: Zalo miễn phí trong 48 giờ sau lần tương tác cuối, tính phí đến 7 ngày, sau đó là mẫu tin Zalo đã duyệt; Messenger chỉ trong 24 giờ. Khách đã từ chối nhận tin, giới hạn gửi và giờ yên lặng luôn được tôn trọng.'),
    h('button', { class: 'secondary', id: 'broadcast-estimate-button', onclick: async () => {
      try {
        const result = await api('POST', '/api/v1/broadcasts/estimate', { segment_id: segment.value, template: template.value });
        const parts = Object.entries(result.routes).filter(([, route]) => route.customers > 0)
          .map(([id, route]) => `${ROUTE_LABEL[id] || id}: ${route.customers} khách, ${money(route.cost_vnd)}`);
        estimate.textContent = `Ước tính: ${result.reachable}/${result.audience} khách nhận được · ${parts.join(' · ') || 'không kênh nào'}`
          + ` · không liên hệ được: ${result.unreachable} · tổng ${money(result.cost_vnd)} (trước giới hạn gửi và giờ yên lặng)`;
        problem.textContent = '';
      } catch (error) { problem.textContent = describe(error); }
    } }, 'Ước tính'), ' ',
    h('button', { id: 'broadcast-create', onclick: async () => {
      const body = { name: name.value.trim(), segment_id: segment.value, template: template.value, holdout_percent: Number(holdout.value || 0) };
      if (campaign.value) body.campaign = campaign.value;
      if (templateB.value && templateB.value !== template.value) body.variants = [{ template: template.value, weight: 1 }, { template: templateB.value, weight: 1 }];
      if (sendAt.value) body.send_at = new Date(sendAt.value).toISOString();
      if (budget.value !== '') body.budget_vnd = Number(budget.value);
      try { await api('POST', '/api/v1/broadcasts', body); problem.textContent = ''; toast('Đã tạo lượt gửi'); load(); }
      catch (error) { problem.textContent = describe(error); }
    } }, 'Tạo lượt gửi'), estimate, problem);
  main.append(h('h1', {}, 'Gửi tin hàng loạt'), segments.items.length ? form : h('p', { class: 'muted' }, 'Hãy tạo một nhóm khách hàng trước.'),
    h('h2', {}, 'Các lượt gửi'), table, h('h2', {}, 'Hiệu quả tin nhắn (30 ngày)'), results);
  await load();
};

// The console's people, for the owner: who signs in, with which role; a new password, a new
// role or locking someone out signs them out everywhere.
const ROLE_HELP = {
  owner: 'mọi thứ, kể cả cài đặt và tài khoản',
  marketer: 'mẫu tin, kịch bản, voucher, nhóm khách, gửi hàng loạt, báo cáo',
  staff: 'khách hàng, hội thoại và trả lời khách',
};
const roleChoice = (value, attributes = {}) => h('select', attributes,
  Object.entries(ROLE_LABEL).map(([id, label]) => h('option', { value: id, selected: id === value }, label)));

screens.users = async (main) => {
  const table = h('table', { id: 'users' });
  const problem = h('p', { class: 'error', id: 'users-error' });
  const change = async (user, body, done) => {
    try { await api('PUT', `/api/v1/users/${user.id}`, body); problem.textContent = ''; toast(done); load(); }
    catch (error) { problem.textContent = describe(error); }
  };
  const load = async () => {
    const users = (await api('GET', '/api/v1/users')).items;
    fill(table, h('tr', {}, h('th', {}, 'Tên'), h('th', {}, 'Vai trò'), h('th', {}, 'Trạng thái'), h('th', {}, 'Tạo lúc'), h('th', {}, 'Mật khẩu mới'), h('th', {})),
      users.map((user) => {
        const role = roleChoice(user.role, { 'data-field': 'role', onchange: () => change(user, { role: role.value }, 'Đã đổi vai trò') });
        const password = h('input', { type: 'password', autocomplete: 'new-password', placeholder: 'ít nhất 8 ký tự', 'data-field': 'password' });
        return h('tr', { 'data-user': user.name }, h('td', {}, user.name), h('td', {}, role),
          h('td', {}, h('span', { class: 'badge ' + (user.active ? 'sent' : 'skipped') }, user.active ? 'Đang dùng' : 'Đã khoá')),
          h('td', {}, when(user.created_at)),
          h('td', {}, h('div', { class: 'row' }, password, h('button', { class: 'secondary', 'data-action': 'password',
            onclick: () => change(user, { password: password.value }, 'Đã đặt mật khẩu mới') }, 'Đặt'))),
          h('td', {}, h('button', { class: user.active ? 'danger secondary' : 'secondary', 'data-action': 'active',
            onclick: () => change(user, { active: !user.active }, user.active ? 'Đã khoá tài khoản' : 'Đã mở khoá') }, user.active ? 'Khoá' : 'Mở khoá')));
      }));
  };
  const name = h('input', { type: 'text', id: 'new-user-name', placeholder: 'Lan' });
  const password = h('input', { type: 'password', id: 'new-user-password', autocomplete: 'new-password', placeholder: 'ít nhất 8 ký tự' });
  const role = roleChoice('staff', { id: 'new-user-role' });
  const help = h('p', { class: 'muted' });
  const explain = () => { help.textContent = `${ROLE_LABEL[role.value]}: ${ROLE_HELP[role.value]}.`; };
  role.addEventListener('change', explain);
  explain();
  const created = h('p', { class: 'error' });
  const create = h('div', { class: 'card' }, h('h2', {}, 'Thêm người'),
    h('div', { class: 'row' }, h('label', {}, 'Tên đăng nhập ', name), h('label', {}, 'Mật khẩu ', password), h('label', {}, 'Vai trò ', role)), help,
    h('button', {
      id: 'new-user-create',
      onclick: async () => {
        try {
          await api('POST', '/api/v1/users', { name: name.value.trim(), password: password.value, role: role.value });
          created.textContent = ''; name.value = ''; password.value = ''; toast('Đã tạo tài khoản'); load();
        } catch (error) { created.textContent = describe(error); }
      },
    }, 'Tạo tài khoản'), created);
  main.append(h('h1', {}, 'Tài khoản'), h('p', { class: 'muted' }, 'Mỗi người một tài khoản: nhật ký thay đổi ghi rõ ai đã làm gì.'),
    table, problem, create, await auditCard());
  await load();
};

// Who changed what, newest first: the audit log in words.
const AUDIT_ACTION_LABEL = {
  'session.sign_in': 'Đăng nhập', 'session.sign_out': 'Đăng xuất', 'user.create': 'Tạo tài khoản', 'user.update': 'Sửa tài khoản',
  'template.create': 'Tạo mẫu tin', 'template.update': 'Sửa mẫu tin', 'template.delete': 'Xoá mẫu tin', 'template.rollback': 'Khôi phục mẫu tin',
  'playbook.rule.update': 'Sửa quy tắc', 'playbook.journey.update': 'Sửa hành trình', 'settings.put': 'Sửa cài đặt',
  'vouchers.create': 'Tạo chiến dịch voucher', 'vouchers.update': 'Sửa chiến dịch voucher', 'vouchers.import': 'Nhập mã voucher',
  'vouchers.generate': 'Tạo mã voucher', 'products.upsert': 'Cập nhật sản phẩm', 'segments.create': 'Tạo nhóm khách',
  'segments.update': 'Sửa nhóm khách', 'segments.delete': 'Xoá nhóm khách', 'broadcasts.create': 'Tạo lượt gửi',
  'broadcasts.pause': 'Tạm dừng lượt gửi', 'broadcasts.resume': 'Tiếp tục lượt gửi', 'broadcasts.cancel': 'Huỷ lượt gửi',
  'message.retry': 'Gửi lại tin', 'customer.reply': 'Trả lời khách', 'customer.export': 'Tải dữ liệu của khách',
  'customer.erase': 'Xoá dữ liệu của khách', 'connection.zalo': 'Kết nối Zalo OA', 'connection.messenger': 'Kết nối trang Facebook',
  'webhook.create': 'Thêm webhook', 'webhook.delete': 'Xoá webhook', 'auth.rate_limited': 'Chặn một địa chỉ đoán sai nhiều lần',
};
const actorLabel = (actor) => (actor.startsWith('user:') ? actor.slice(5) : actor.startsWith('admin:') ? 'Mã quản trị' : actor);

async function auditCard() {
  const entries = (await api('GET', '/api/v1/audit?limit=50')).items;
  return h('div', { class: 'card', id: 'audit' }, h('h2', {}, 'Nhật ký thay đổi'),
    entries.length ? h('table', {}, h('tr', {}, h('th', {}, 'Lúc'), h('th', {}, 'Ai'), h('th', {}, 'Việc'), h('th', {}, 'Đối tượng')),
      entries.map((entry) => h('tr', { 'data-audit': entry.action }, h('td', {}, when(entry.at)), h('td', {}, actorLabel(entry.actor)),
        h('td', {}, AUDIT_ACTION_LABEL[entry.action] || entry.action), h('td', {}, entry.target))))
      : h('p', { class: 'muted' }, 'Chưa có thay đổi nào.'));
}

// ---- routing ---------------------------------------------------------------------------

// What each screen needs (the server's permissions, admin/staff_access.h).
const SCREEN_PERMISSION = {
  password: 'conversations',
  dashboard: 'marketing', templates: 'marketing', playbook: 'marketing', customers: 'conversations', messages: 'conversations',
  segments: 'marketing', broadcasts: 'marketing', vouchers: 'marketing', catalog: 'marketing', settings: 'shop_settings', users: 'people',
};
// The first screen of the menu the signed-in person may open: staff start at the customers.
const firstScreen = () => Object.keys(SCREEN_PERMISSION).find((screen) => screen !== 'password' && may(SCREEN_PERMISSION[screen])) || 'login';

// Anyone signed in with a name changes their own password (the name in the menu leads here).
screens.password = (main) => {
  if (!who.csrf) {
    main.append(h('h1', {}, 'Đổi mật khẩu'), h('p', { class: 'muted' }, 'Mã quản trị không có mật khẩu: hãy đăng nhập bằng tài khoản của bạn.'));
    return;
  }
  const current = h('input', { type: 'password', id: 'current-password', autocomplete: 'current-password' });
  const fresh = h('input', { type: 'password', id: 'new-password', autocomplete: 'new-password', placeholder: 'ít nhất 8 ký tự' });
  const again = h('input', { type: 'password', id: 'new-password-again', autocomplete: 'new-password' });
  const problem = h('p', { class: 'error', id: 'password-error' });
  main.append(h('form', { class: 'card login', onsubmit: async (event) => {
    event.preventDefault();
    if (fresh.value !== again.value) { problem.textContent = 'Hai lần nhập mật khẩu mới chưa giống nhau.'; return; }
    try {
      await api('PUT', '/api/v1/session/password', { current_password: current.value, new_password: fresh.value });
      toast('Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc');
      location.hash = '#/' + firstScreen();
    } catch (error) { problem.textContent = describe(error); }
  } }, h('h1', {}, 'Đổi mật khẩu'), h('label', {}, 'Mật khẩu hiện tại', current), h('label', {}, 'Mật khẩu mới', fresh),
  h('label', {}, 'Nhập lại mật khẩu mới', again), h('button', { type: 'submit', id: 'password-save' }, 'Đổi mật khẩu'), problem));
};

screens.forbidden = (main) => {
  main.append(h('h1', {}, 'Không có quyền'), h('p', { id: 'forbidden' },
    `Vai trò ${ROLE_LABEL[who.role] || who.role} không mở được trang này. Hãy nhờ chủ shop nếu bạn cần.`));
};

// Each navigation's number: a route that waited (for the session, for a screen's data) while
// a later one started leaves the page to the later one.
let routing = 0;

async function route() {
  const current = ++routing;
  const main = document.getElementById('main');
  if (!who) await findWho();
  if (current !== routing) return;
  let screen = (location.hash.split('/')[1] || '').replace(/[^a-z]/g, '');
  if (!who) screen = 'login';
  else if (!screens[screen] || screen === 'login' || screen === 'forbidden') screen = firstScreen();
  else if (!may(SCREEN_PERMISSION[screen])) screen = 'forbidden';
  // The sign-in form already drawn keeps what was typed into it: the page's first route and a
  // link to #/login both land here, and drawing it again under a typing owner emptied the
  // name (seen in the browser test: "the name or the password is wrong" with an empty name).
  if (screen === 'login' && main.dataset.screen === 'login' && main.querySelector('#user-name')) {
    main.dataset.ready = 'login';
    return;
  }
  const nav = document.getElementById('nav');
  nav.hidden = !who;
  for (const link of nav.querySelectorAll('a[data-screen]')) {
    link.hidden = !may(SCREEN_PERMISSION[link.dataset.screen]);
    link.classList.toggle('active', link.dataset.screen === screen);
  }
  document.getElementById('who').textContent = who ? `${who.name} · ${ROLE_LABEL[who.role] || who.role}` : '';
  document.getElementById('who').title = who && who.csrf ? 'Đổi mật khẩu' : '';
  fill(main);
  delete main.dataset.ready; // set again once the screen has drawn (the browser tests wait on it)
  main.dataset.screen = screen;
  try {
    await screens[screen](main);
    if (current === routing) main.dataset.ready = screen;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) main.append(h('p', { class: 'error' }, 'Lỗi: ' + describe(error)));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', async () => {
    if (!sessionStorage.getItem(TOKEN_KEY)) await fetch('/api/v1/session', { method: 'DELETE' });
    sessionStorage.removeItem(TOKEN_KEY);
    who = null;
    location.hash = '#/login';
  });
  route();
});
