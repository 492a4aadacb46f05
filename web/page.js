// The page around the canvas (issue #15): the URL's deep link as mailsim-gui's command line, the toolbar (scenarios,
// a file from the student's disk, the editor, downloads, language), settings in localStorage, and window.mailsim,
// the small JavaScript interface the browser tests read. Every word shown exists in English and Chinese (TEXT).
'use strict';
(function () {
  var TEXT = {
    en: { open: 'Open file…', edit: 'Edit', run: 'Run', close: 'Close', download: 'Download…',
          transcript: 'Transcript (.txt)', json: 'Trace (.json)', pcap: 'Capture (.pcap)', svg: 'Diagram (.svg)',
          loading: 'Loading mailsim…', drop: 'Drop a scenario file (.yaml) to run it',
          note: 'Runs entirely in your browser. A real server (mailsim serve) and live attach need the desktop build.',
          noWebgl: 'This page needs WebGL 2, which this browser does not offer.', scenarios: 'Shipped scenarios',
          failed: 'mailsim could not start: ',
          live: 'mailsim serve and following a live server (--serve, --attach) need real network sockets, which a ' +
                'web page does not have: please use the desktop build for them. Every scenario, lesson, predict ' +
                'mode and the sandbox console work here. (Click to close.)' },
    zh: { open: '打开文件…', edit: '编辑', run: '运行', close: '关闭', download: '下载…',
          transcript: '会话记录 (.txt)', json: '事件记录 (.json)', pcap: '抓包文件 (.pcap)', svg: '时序图 (.svg)',
          loading: '正在加载 mailsim…', drop: '拖放场景文件 (.yaml) 即可运行',
          note: '完全在浏览器中运行。真实服务器 (mailsim serve) 与实时跟踪需要桌面版。',
          noWebgl: '本页面需要 WebGL 2，此浏览器不支持。', scenarios: '内置场景',
          failed: 'mailsim 无法启动：',
          live: 'mailsim serve 与实时跟踪服务器（--serve、--attach）需要真实的网络套接字，网页中没有：请使用桌面版。' +
                '所有场景、课程、预测模式和沙盒控制台都可在此使用。（点击关闭）' }
  };
  var params = new URLSearchParams(location.search);
  var stored = {};
  try { stored = JSON.parse(localStorage.getItem('mailsim.page') || '{}'); } catch (e) { stored = {}; }
  var lang = params.get('lang') === 'zh' || params.get('lang') === 'en' ? params.get('lang') : (stored.lang || 'en');
  var T = TEXT[lang];
  var $ = function (id) { return document.getElementById(id); };

  // The deep link, as mailsim-gui's own options (gui/Options.hpp): ?scenario=NAME&step=K|end&lang=zh&presenter=1
  // &predict=1&sandbox=HOST[:PORT]&show=PANEL. Values are checked here and again by the options parser.
  var args = [];
  var scenario = params.get('scenario');
  if (scenario && /^[A-Za-z0-9_-]+(\.ya?ml)?$/.test(scenario))
    args.push('scenarios/' + scenario.replace(/\.ya?ml$/, '') + '.yaml');
  var step = params.get('step');
  if (step === 'end') args.push('--cursor', 'end');
  else if (step && /^\d+$/.test(step)) args.push('--step', step);
  args.push('--lang', lang);
  if (params.get('presenter') === '1') args.push('--presenter');
  if (params.get('predict') === '1') args.push('--predict');
  var bench = params.get('bench');  // the GUI benchmark's synthetic trace (docs/performance.md)
  if (bench && /^\d+$/.test(bench)) args.push('--bench', bench);
  var sandbox = params.get('sandbox');  // sandbox mode connected to HOST[:PORT] (the simulated network in the page)
  if (sandbox && /^[A-Za-z0-9.-]+(:\d+)?$/.test(sandbox)) args.push('--sandbox', sandbox);
  // A link made for the desktop (?serve=… or ?attach=…) gets a polite word instead of an error (see TEXT.live).
  var wantsLive = params.has('serve') || params.has('attach');
  var show = params.get('show');
  if (show && /^[a-z]+$/.test(show)) args.push('--show', show);

  var SETTINGS = '/home/web_user/.config/mailsim/gui.ini';
  var firstFrameMs = null;
  var status = $('status');
  status.textContent = T.loading;

  function call(name, ret, types, values) { return Module.ccall(name, ret, types || [], values || []); }
  function state() { return JSON.parse(call('mailsim_state', 'string')); }
  function saveSettings() {
    if (!Module.calledRun) return;
    try {
      call('mailsim_save_settings', null);
      localStorage.setItem('mailsim.settings', Module.FS.readFile(SETTINGS, { encoding: 'utf8' }));
    } catch (e) { /* storage may be disabled (private mode): settings are then not kept */ }
  }
  function storePage() {
    try { localStorage.setItem('mailsim.page', JSON.stringify({ lang: lang })); } catch (e) { /* see above */ }
  }

  // A scenario from the student's disk: written next to the shipped ones (its includes resolve the same way; a file
  // with a shipped name replaces it in this page only) and opened before the next frame.
  function openText(name, text) {
    var safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
    var path = '/mailsim/scenarios/' + safe;
    Module.FS.writeFile(path, text);
    call('mailsim_open', null, ['string'], [path]);
    return path;
  }
  function openFiles(files) {
    var list = Array.prototype.filter.call(files, function (f) { return /\.ya?ml$/i.test(f.name); });
    if (!list.length) return;
    var pending = list.length, texts = [];
    list.forEach(function (f, i) {
      f.text().then(function (t) {
        texts[i] = t;
        if (--pending) return;
        // Network files first (a scenario may include them), the first file with steps last, and opened.
        var main = 0;
        list.forEach(function (g, k) { if (/^\s*steps\s*:/m.test(texts[k]) && main === 0) main = k; });
        list.forEach(function (g, k) {
          if (k !== main) Module.FS.writeFile('/mailsim/scenarios/' + g.name.replace(/[^A-Za-z0-9._-]/g, '_'), texts[k]);
        });
        openText(list[main].name, texts[main]);
      });
    });
  }
  function download(kind) {
    var size = call('mailsim_export', 'number', ['string'], [kind]);
    if (size < 0) return false;
    var ptr = call('mailsim_export_data', 'number');
    var bytes = Module.HEAPU8.slice(ptr, ptr + size);
    var s = state();
    var base = (s.scenario.split('/').pop() || 'mailsim').replace(/\.ya?ml$/, '');
    var ext = { transcript: 'txt', json: 'json', pcap: 'pcap', svg: 'svg' }[kind];
    var mime = { transcript: 'text/plain', json: 'application/json', pcap: 'application/vnd.tcpdump.pcap',
                 svg: 'image/svg+xml' }[kind];
    var url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    var a = document.createElement('a');
    a.href = url;
    a.download = base + '.' + ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    return true;
  }

  // --- the editor: the shown scenario's text, re-run with Run; diagnostics (file:line:col) select their line ----
  var editing = null;
  function showDiagnostics() {
    var box = $('diags');
    box.textContent = '';
    state().diagnostics.forEach(function (d) {
      var div = document.createElement('div');
      div.textContent = d;
      var m = /:(\d+):(\d+):/.exec(d);
      if (m) div.onclick = function () { selectLine(+m[1], +m[2]); };
      box.appendChild(div);
    });
  }
  function selectLine(line, col) {
    var ta = $('text'), lines = ta.value.split('\n'), at = 0;
    for (var i = 0; i < line - 1 && i < lines.length; ++i) at += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(at + Math.max(0, col - 1), at + (lines[line - 1] || '').length);
  }
  function openEditor() {
    var s = state();
    editing = s.scenario;
    try { $('text').value = Module.FS.readFile(editing, { encoding: 'utf8' }); } catch (e) { $('text').value = ''; }
    $('editname').textContent = editing.replace('/mailsim/', '');
    $('editor').style.display = 'flex';
    showDiagnostics();
  }
  function runEditor() {
    if (!editing) return;
    var path = editing.charAt(0) === '/' ? editing : '/mailsim/' + editing;
    Module.FS.writeFile(path, $('text').value);
    call('mailsim_open', null, ['string'], [path]);
    setTimeout(showDiagnostics, 200);  // opened between frames
  }

  // The toolbar's words, in the language the application shows (its own 中文/English button switches it; the
  // choice is remembered for the next visit).
  function setBarLanguage(l) {
    lang = l;
    T = TEXT[lang];
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    $('open').textContent = T.open;
    $('edit').textContent = T.edit;
    $('run').textContent = T.run;
    $('close').textContent = T.close;
    $('note').textContent = T.note;
    $('note').title = T.note;
    $('drop').textContent = T.drop;
    $('scenarios').title = T.scenarios;
    var dl = $('download');
    dl.textContent = '';
    [['', T.download], ['transcript', T.transcript], ['json', T.json], ['pcap', T.pcap], ['svg', T.svg]]
      .forEach(function (o) { var e = document.createElement('option'); e.value = o[0]; e.textContent = o[1]; dl.appendChild(e); });
    storePage();
  }
  function buildBar() {
    setBarLanguage(lang);
    var dl = $('download');
    dl.onchange = function () { if (dl.value) download(dl.value); dl.value = ''; };
    $('open').onclick = function () { $('file').click(); };
    $('file').onchange = function () { openFiles($('file').files); $('file').value = ''; };
    $('edit').onclick = openEditor;
    $('run').onclick = runEditor;
    $('close').onclick = function () { $('editor').style.display = 'none'; };
    // Keys typed in the editor are the editor's: emscripten's GLFW listens on the window (and swallows Backspace).
    ['keydown', 'keypress', 'keyup'].forEach(function (type) {
      $('editor').addEventListener(type, function (e) { e.stopPropagation(); });
    });
    var drop = $('drop'), depth = 0;
    window.addEventListener('dragenter', function (e) { e.preventDefault(); ++depth; drop.style.display = 'flex'; });
    window.addEventListener('dragleave', function () { if (--depth <= 0) { depth = 0; drop.style.display = 'none'; } });
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) {
      e.preventDefault();
      depth = 0;
      drop.style.display = 'none';
      if (e.dataTransfer && e.dataTransfer.files) openFiles(e.dataTransfer.files);
    });
  }
  function fillScenarios() {
    var sel = $('scenarios');
    sel.title = T.scenarios;
    var names = Module.FS.readdir('/mailsim/scenarios').filter(function (n) { return /\.yaml$/.test(n); }).sort();
    var current = state().scenario.split('/').pop();
    names.forEach(function (n) {
      var o = document.createElement('option');
      o.value = n;
      o.textContent = n.replace(/\.yaml$/, '');
      if (n === current) o.selected = true;
      sel.appendChild(o);
    });
    sel.onchange = function () { call('mailsim_open', null, ['string'], ['scenarios/' + sel.value]); sel.blur(); };
  }

  if (!document.createElement('canvas').getContext('webgl2')) status.textContent = T.noWebgl;
  buildBar();
  if (wantsLive) {
    var polite = $('polite');
    polite.textContent = T.live;
    polite.style.display = 'block';
    polite.onclick = function () { polite.style.display = 'none'; };
  }
  window.addEventListener('pagehide', saveSettings);
  document.addEventListener('visibilitychange', function () { if (document.hidden) saveSettings(); });

  window.Module = {
    canvas: $('canvas'),
    arguments: args,
    preRun: [function () {
      var saved = null;
      try { saved = localStorage.getItem('mailsim.settings'); } catch (e) { saved = null; }
      if (saved) {
        Module.FS.mkdirTree('/home/web_user/.config/mailsim');
        Module.FS.writeFile(SETTINGS, saved);
      }
    }],
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    mailsimFirstFrame: function () {
      firstFrameMs = performance.now();
      status.style.display = 'none';
      fillScenarios();
      $('canvas').focus();
      setInterval(function () {
        var l = state().language;
        if (l !== lang) { setBarLanguage(l); saveSettings(); }
      }, 500);
    },
    mailsimFatal: function (msg) { status.textContent = T.failed + msg; }
  };

  // For teachers' scripts and the browser tests (web/tests/browser_test.py).
  window.mailsim = {
    state: function () { return Module.calledRun ? state() : { ready: false, frames: 0 }; },
    firstFrameMs: function () { return firstFrameMs; },
    setCursor: function (k) { return call('mailsim_set_cursor', 'number', ['number'], [k]); },
    step: function (n) { return call('mailsim_step', 'number', ['number'], [n]); },
    openText: openText,
    show: function (panel) { return call('mailsim_show', 'number', ['string'], [panel]) === 1; },
    predict: function (on) { call('mailsim_set_predict', null, ['number'], [on ? 1 : 0]); },
    answer: function (choice) { return call('mailsim_predict_answer', 'number', ['string'], [choice]) === 1; },
    exportText: function (kind) {
      var size = call('mailsim_export', 'number', ['string'], [kind]);
      if (size < 0) return null;
      var ptr = call('mailsim_export_data', 'number');
      return new TextDecoder().decode(Module.HEAPU8.slice(ptr, ptr + size));
    },
    download: download,
    saveSettings: saveSettings,
    // Moves the cursor by `stride` rows before each of `count` frames and reports the UI build time of each
    // (App::lastUiMs: panels + ImGui, without WebGL): median, p95 and max in ms.
    benchFrames: function (count, stride) {
      return new Promise(function (resolve) {
        var n = state().count, times = [], i = 0;
        function next() {
          if (i > 0) times.push(state().uiMs);
          if (i === count) {
            times.sort(function (a, b) { return a - b; });
            resolve({ frames: count, rows: n, median: times[Math.floor(count / 2)],
                      p95: times[Math.min(count - 1, Math.floor(count * 0.95))], max: times[count - 1] });
            return;
          }
          call('mailsim_set_cursor', 'number', ['number'], [(i * stride) % n]);
          ++i;
          requestAnimationFrame(function () { requestAnimationFrame(next); });
        }
        next();
      });
    }
  };
})();
