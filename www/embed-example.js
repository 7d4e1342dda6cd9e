// The embedding example's script (www/embed-example.html): send Delever a scenario by
// postMessage, show the year-ends and target checks it answers with, and its refusals.
// A portal page copies what it needs from here; see README, "Embedding".

const frame = document.getElementById('delever');
const status = document.getElementById('status');
// Answers come only from the frame, and go only to its origin (the simulator's address).
const simulatorOrigin = new URL(frame.src, location.href).origin;
const target = simulatorOrigin === 'null' ? '*' : simulatorOrigin;

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
}

/** A decimal string as a person reads it: amounts to 2 places, ratios as percent. */
function shown(value, ratio) {
  if (value === null || value === undefined) return '—';
  const number = Number(value);
  return ratio ? `${(number * 100).toFixed(2)}%` : number.toFixed(2);
}

function showResult(message) {
  const body = document.getElementById('year-ends');
  body.replaceChildren();
  for (const year of message.year_ends) {
    const row = document.createElement('tr');
    row.dataset.year = String(year.year);
    row.dataset.npl = year.npl;
    cell(row, String(year.year));
    cell(row, shown(year.deposits));
    cell(row, shown(year.loans));
    cell(row, shown(year.npl));
    cell(row, shown(year.npl_ratio, true));
    cell(row, shown(year.disposal));
    body.append(row);
  }
  const targets = document.getElementById('targets');
  targets.replaceChildren();
  for (const check of message.targets ?? []) {
    const item = document.createElement('li');
    item.dataset.target = check.id;
    item.dataset.met = String(check.met);
    item.textContent = `${check.id}（${check.year}）：${check.met ? '达标' : '未达标'}`;
    targets.append(item);
  }
  document.getElementById('errors').replaceChildren();
  status.textContent = `已收到“${message.scenario}”的结果`;
}

function showErrors(message) {
  const list = document.getElementById('errors');
  list.replaceChildren();
  for (const error of message.errors) {
    const item = document.createElement('li');
    item.textContent = `${error.path || '情景'}：${error.message_zh}`;
    list.append(item);
  }
  status.textContent = '测算框拒绝了该情景，仍显示上一次的结果';
}

window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || (target !== '*' && event.origin !== target)) return;
  const message = event.data;
  if (!message || typeof message.type !== 'string') return;
  if (message.type === 'delever:ready') {
    status.textContent = '测算框已就绪';
    document.body.dataset.ready = 'true';
  } else if (message.type === 'delever:result') {
    showResult(message);
  } else if (message.type === 'delever:error') {
    showErrors(message);
  }
});

/** The chosen preset, with the typed disposal plan (as typed: the simulator checks it). */
async function chosenScenario() {
  const id = document.getElementById('preset').value;
  const scenario = await (await fetch(`./presets/${id}.json`)).json();
  const disposal = document.getElementById('disposal').value.trim();
  if (disposal !== '') {
    scenario.defaults.disposal = { plan: 'amount', amount: disposal };
  }
  return scenario;
}

async function send() {
  const scenario = await chosenScenario();
  frame.contentWindow.postMessage({ type: 'delever:load', scenario }, target);
  status.textContent = '已发送，等待结果…';
}

document.getElementById('send').addEventListener('click', () => {
  send().catch((error) => {
    status.textContent = `无法发送：${error}`;
  });
});

// A portal on the simulator's own origin can skip the frame's interface and call its engine:
// `ready()` fetches the engine's module on first use; each function then answers at once with
// the command line's JSON, or throws the command line's message.
async function direct() {
  const result = document.getElementById('direct-result');
  const delever = frame.contentWindow.delever;
  await delever.ready();
  try {
    const projection = JSON.parse(delever.simulate(JSON.stringify(await chosenScenario())));
    const last = projection.region.year_ends.at(-1);
    result.dataset.npl = last.npl;
    result.textContent = `直接测算：${last.year} 年末不良贷款 ${shown(last.npl)} 亿元，不良率 ${shown(last.npl_ratio, true)}`;
  } catch (error) {
    delete result.dataset.npl;
    result.textContent = `直接测算被拒绝：${error.message.split('\n')[0]}`;
  }
}

document.getElementById('direct').addEventListener('click', () => {
  direct().catch((error) => {
    document.getElementById('direct-result').textContent = `无法直接测算：${error}`;
  });
});
