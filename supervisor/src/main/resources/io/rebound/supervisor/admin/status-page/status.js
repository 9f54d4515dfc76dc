// The supervisor's status page: reads /status, /servers, /traffic and /events of this origin once a second and
// shows them; the drain / ready / maint buttons POST /servers/NAME/state. With an admin token configured, the page
// asks for it once and keeps it in sessionStorage (this tab only); every request for data or a change carries it.
'use strict';

(function () {
  const POLL_MILLIS = 1000;
  const TOKEN_KEY = 'rebound.admin.token';
  const STATES = ['ready', 'drain', 'maint'];
  const CLASS_COLOURS = ['#9aa0a6', '#1e8e3e', '#1a73e8', '#e8a200', '#d93025', '#7b1fa2'];

  const traffic = { times: [], requests: [], proxyErrors: [], responses: [], capacity: 600, last: 0, classes: [] };
  let requestsChart = null;
  let responsesChart = null;

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class Unauthorized extends Error {}

  async function api(path, options) {
    const headers = Object.assign({}, (options && options.headers) || {});
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    const response = await fetch(path, Object.assign({}, options, { headers: headers, cache: 'no-store' }));
    if (response.status === 401) {
      throw new Unauthorized(await response.text());
    }
    if (!response.ok) {
      throw new Error(path + ': ' + response.status + ' ' + (await response.text()).trim());
    }
    return response.json();
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function showProblem(message) {
    const problem = document.getElementById('problem');
    problem.textContent = message;
    problem.hidden = !message;
  }

  // Servers.

  // Rows are kept and updated in place, so a button is never replaced under the pointer; they are built anew only when
  // the servers change (a reload).
  const rows = new Map();

  function renderServers(view) {
    const names = view.servers.map(server => server.name);
    if (names.join('\n') !== [...rows.keys()].join('\n')) {
      rows.clear();
      const built = view.servers.map(server => {
        const row = serverRow(server.name);
        rows.set(server.name, row);
        return row.element;
      });
      document.querySelector('#servers tbody').replaceChildren(...built);
    }
    view.servers.forEach(server => updateRow(rows.get(server.name), server));
  }

  function serverRow(name) {
    const row = { element: element('tr'), address: element('td'), status: element('span'), check: element('td'),
      weight: element('td', null, 'number weight'), inFlight: element('td', null, 'number in-flight'), buttons: [] };
    row.element.id = 'server-' + name;
    row.element.dataset.server = name;
    const statusCell = element('td');
    statusCell.append(row.status);
    const actions = element('td');
    for (const state of STATES) {
      const button = element('button', state, 'state-' + state);
      button.type = 'button';
      button.dataset.server = name;
      button.dataset.state = state;
      button.title = 'POST /servers/' + name + '/state ' + state;
      row.buttons.push(button);
      actions.append(button);
    }
    row.element.append(element('td', name, 'name'), row.address, statusCell, row.check, row.weight, row.inFlight,
      actions);
    return row;
  }

  function updateRow(row, server) {
    row.address.textContent = server.address;
    const status = server.status || 'unknown';
    row.status.textContent = status;
    row.status.className = 'status status-' + status;
    if (server.lastCheck) {
      row.check.replaceChildren(
        element('span', server.lastCheck.reason, server.lastCheck.passed ? 'check-passed' : 'check-failed'),
        document.createElement('br'),
        element('span', new Date(server.lastCheck.time).toLocaleTimeString() + ', '
          + server.lastCheck.durationMillis + ' ms', 'check-time'));
    } else {
      row.check.textContent = '—';
    }
    row.weight.textContent = server.weight === server.configuredWeight ? String(server.weight)
      : server.weight + ' (configured ' + server.configuredWeight + ')';
    row.inFlight.textContent = server.inFlight === null ? '—' : String(server.inFlight);
    row.buttons.forEach(button => {
      button.disabled = server.state === button.dataset.state;
    });
  }

  async function setState(server, state) {
    try {
      await api('/servers/' + encodeURIComponent(server) + '/state', {
        method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: state,
      });
      showProblem('');
    } catch (error) {
      handle(error);
    }
    poll();
  }

  // Traffic charts.

  function addTraffic(data) {
    traffic.capacity = data.capacity;
    traffic.classes = data.classes;
    if (traffic.responses.length === 0) {
      traffic.responses = data.classes.map(() => []);
    }
    for (const sample of data.samples) {
      const perSecond = 1000 / sample.ms;
      traffic.times.push(sample.t / 1000);
      traffic.requests.push(sample.requests * perSecond);
      traffic.proxyErrors.push(sample.proxyErrors * perSecond);
      sample.responses.forEach((count, i) => traffic.responses[i].push(count * perSecond));
      traffic.last = sample.t;
    }
    const excess = traffic.times.length - traffic.capacity;
    if (excess > 0) {
      traffic.times.splice(0, excess);
      traffic.requests.splice(0, excess);
      traffic.proxyErrors.splice(0, excess);
      traffic.responses.forEach(series => series.splice(0, excess));
    }
  }

  function chartWidth(id) {
    return Math.max(300, document.getElementById(id).clientWidth);
  }

  function rateSeries(label, colour) {
    return { label: label, stroke: colour, width: 2, points: { show: false },
      value: (chart, value) => value === null ? '—' : value.toFixed(1) + '/s' };
  }

  function drawCharts() {
    if (traffic.times.length === 0) {
      return;
    }
    const requestsData = [traffic.times, traffic.requests, traffic.proxyErrors];
    const responsesData = [traffic.times, ...traffic.responses];
    if (requestsChart === null) {
      requestsChart = new uPlot({
        width: chartWidth('requests-chart'), height: 220,
        series: [{}, rateSeries('requests', '#1a73e8'), rateSeries('proxy errors', '#d93025')],
        axes: [{}, { label: 'per second' }],
      }, requestsData, document.getElementById('requests-chart'));
      responsesChart = new uPlot({
        width: chartWidth('responses-chart'), height: 220,
        series: [{}, ...traffic.classes.map((name, i) => rateSeries(name, CLASS_COLOURS[i % CLASS_COLOURS.length]))],
        axes: [{}, { label: 'per second' }],
      }, responsesData, document.getElementById('responses-chart'));
    } else {
      requestsChart.setData(requestsData);
      responsesChart.setData(responsesData);
    }
  }

  window.addEventListener('resize', () => {
    if (requestsChart !== null) {
      requestsChart.setSize({ width: chartWidth('requests-chart'), height: 220 });
      responsesChart.setSize({ width: chartWidth('responses-chart'), height: 220 });
    }
  });

  // Restarts and reloads, newest first.

  function renderEvents(data) {
    const rows = data.events.slice().reverse().map(event => {
      const row = element('tr');
      row.append(element('td', new Date(event.t).toLocaleString()),
        element('td', event.kind, 'kind kind-' + event.kind),
        element('td', event.outcome),
        element('td', event.detail));
      return row;
    });
    document.querySelector('#events tbody').replaceChildren(...rows);
    document.getElementById('no-events').hidden = rows.length > 0;
  }

  function renderSupervisor(status) {
    document.getElementById('supervisor').textContent = 'supervisor ' + status.state + ', proxy pid '
      + (status.childPid === null ? '—' : status.childPid) + ', ' + status.restarts + ' restart(s), '
      + status.reloads + ' reload(s)';
  }

  // Polling: one round at a time, the next a second after the last ended.

  let timer = null;

  function handle(error) {
    if (error instanceof Unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      document.getElementById('token-form').hidden = false;
      showProblem('The admin token is needed: ' + error.message.trim());
    } else {
      showProblem('Cannot read the supervisor: ' + error.message);
    }
  }

  async function poll() {
    clearTimeout(timer);
    try {
      const [status, servers, newTraffic, events] = await Promise.all([
        api('/status'), api('/servers'), api('/traffic?since=' + traffic.last), api('/events')]);
      renderSupervisor(status);
      renderServers(servers);
      addTraffic(newTraffic);
      drawCharts();
      renderEvents(events);
      document.getElementById('token-form').hidden = true;
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      showProblem('');
    } catch (error) {
      handle(error);
      if (error instanceof Unauthorized) {
        return; // until a token is entered
      }
    }
    timer = setTimeout(poll, POLL_MILLIS);
  }

  document.getElementById('token').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token-input').value.trim());
    document.getElementById('token-input').value = '';
    poll();
  });

  document.querySelector('#servers tbody').addEventListener('click', event => {
    const button = event.target.closest('button[data-state]');
    if (button && !button.disabled) {
      button.disabled = true;
      setState(button.dataset.server, button.dataset.state);
    }
  });

  poll();
})();
