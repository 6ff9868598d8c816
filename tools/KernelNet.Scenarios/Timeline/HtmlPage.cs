using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;

namespace KernelNet.Scenarios.Timeline;

/// <summary>
/// One self-contained HTML page (inline CSS and JavaScript, no fetches): the timeline drawn on a
/// canvas, one row per host and CPU with its hardirq, softirq and task slices, each journey's
/// steps as marks; beside it the journeys listed, and a click on one highlights its steps and
/// joins them in order.
/// </summary>
public static class HtmlPage
{
    public static string Render(string title, TimelineModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var data = new
        {
            hosts = model.Hosts,
            cpus = model.Cpus,
            slices = model.Slices.Select(s => new { h = s.Host, c = s.Cpu, k = s.Kind.ToString().ToLowerInvariant(), n = s.Name, s = s.Start, d = s.Duration }),
            journeys = model.Journeys.Select(j => new
            {
                skb = j.Journey.Skb,
                addr = j.Journey.Address,
                flow = j.Journey.Flow,
                ending = j.Journey.Ending,
                marks = j.Marks.Select(m => new { h = m.Host, c = m.Cpu, t = m.Time, n = m.Name, x = m.Context }),
            }),
        };

        // the default encoder escapes <, > and & inside strings, so the data cannot close the script
        var json = JsonSerializer.Serialize(data);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title>\n<style>\n")
            .Append(Css)
            .Append("</style>\n</head>\n<body>\n<h1>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</h1>\n<p class=\"legend\"><span class=\"k hardirq\">hardirq</span> <span class=\"k softirq\">softirq</span> <span class=\"k process\">task</span> <span class=\"k mark\">skb step</span> &mdash; click a journey to follow it; the wheel zooms, dragging pans.</p>\n")
            .Append("<div id=\"main\"><div id=\"chart\"><canvas id=\"timeline\"></canvas><div id=\"info\"></div></div>\n<ol id=\"journeys\"></ol></div>\n")
            .Append("<script id=\"data\" type=\"application/json\">").Append(json).Append("</script>\n<script>\n")
            .Append(Script)
            .Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    public static void WriteFile(string path, string title, TimelineModel model) => File.WriteAllText(path, Render(title, model));

    private const string Css = """
body { font: 13px system-ui, sans-serif; margin: 12px; color: #222; }
h1 { font-size: 16px; margin: 0 0 6px 0; }
.legend .k { padding: 1px 6px; border-radius: 3px; color: #fff; }
.k.hardirq { background: #c0392b; } .k.softirq { background: #2874a6; } .k.process { background: #7d8c8d; } .k.mark { background: #e67e22; }
#main { display: flex; gap: 12px; align-items: flex-start; }
#chart { flex: 1 1 auto; min-width: 0; }
#timeline { width: 100%; border: 1px solid #ccc; cursor: grab; }
#info { min-height: 1.4em; font-family: monospace; }
#journeys { flex: 0 0 420px; max-height: 80vh; overflow: auto; margin: 0; padding-left: 2.5em; font-family: monospace; font-size: 12px; }
.journey { cursor: pointer; padding: 2px 4px; border-radius: 3px; }
.journey:hover { background: #f4f4f4; }
.journey.selected { background: #fde8cf; }
.journey .ending { color: #666; }
.journey.dropped .ending { color: #c0392b; font-weight: bold; }

""";

    private const string Script = """
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('data').textContent);
  const canvas = document.getElementById('timeline');
  const info = document.getElementById('info');
  const list = document.getElementById('journeys');
  const rowH = 26, labelW = 150, top = 20;
  const tracks = [];
  const key = (h, c) => h + '\u0000' + c;
  const seen = new Set();
  data.slices.forEach(s => seen.add(key(s.h, s.c)));
  data.journeys.forEach(j => j.marks.forEach(m => seen.add(key(m.h, m.c))));
  data.hosts.forEach(h => data.cpus.forEach(c => { if (seen.has(key(h, c))) tracks.push({ h: h, c: c }); }));
  const row = new Map(tracks.map((t, i) => [key(t.h, t.c), i]));
  let t0 = Infinity, t1 = -Infinity;
  data.slices.forEach(s => { t0 = Math.min(t0, s.s); t1 = Math.max(t1, s.s + s.d); });
  data.journeys.forEach(j => j.marks.forEach(m => { t0 = Math.min(t0, m.t); t1 = Math.max(t1, m.t); }));
  if (!isFinite(t0)) { t0 = 0; t1 = 1; }
  if (t1 <= t0) t1 = t0 + 1;
  let view0 = t0, view1 = t1, selected = -1;
  const colors = { hardirq: '#c0392b', softirq: '#2874a6', process: '#7d8c8d' };
  const depth = { process: 0, softirq: 1, hardirq: 2 };

  function size() {
    const w = canvas.clientWidth || 900;
    canvas.width = w;
    canvas.height = top + tracks.length * rowH + 10;
  }
  function x(t) { return labelW + (t - view0) / (view1 - view0) * (canvas.width - labelW - 10); }
  function y(c) { return top + c * rowH; }

  function draw() {
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.font = '11px sans-serif';
    g.fillStyle = '#222';
    g.fillText((view0 / 1000).toFixed(3) + ' ms', labelW, 12);
    const right = (view1 / 1000).toFixed(3) + ' ms';
    g.fillText(right, canvas.width - 10 - g.measureText(right).width, 12);
    tracks.forEach((t, i) => {
      g.fillStyle = i % 2 ? '#fafafa' : '#f0f0f0';
      g.fillRect(0, y(i), canvas.width, rowH);
      g.fillStyle = '#222';
      g.fillText(t.h + '  CPU ' + t.c, 4, y(i) + 16);
    });
    let drawn = 0;
    data.slices.forEach(s => {
      const r = row.get(key(s.h, s.c));
      if (r === undefined || s.s + s.d < view0 || s.s > view1) return;
      const d = depth[s.k] || 0;
      const a = Math.max(labelW, x(s.s)), b = Math.max(a + 1, x(s.s + s.d));
      g.fillStyle = colors[s.k] || '#999';
      g.fillRect(a, y(r) + 3 + d * 5, b - a, rowH - 6 - d * 10);
      drawn++;
    });
    data.journeys.forEach((j, i) => {
      const on = i === selected;
      g.strokeStyle = '#e67e22';
      g.lineWidth = 2;
      if (on) g.beginPath();
      j.marks.forEach((m, k) => {
        const r = row.get(key(m.h, m.c));
        if (r === undefined) return;
        const px = x(m.t), py = y(r) + rowH / 2;
        if (on) { if (k === 0) g.moveTo(px, py); else g.lineTo(px, py); }
        if (px < labelW) return;
        g.fillStyle = on ? '#e67e22' : 'rgba(230,126,34,0.45)';
        g.fillRect(px - (on ? 3 : 1.5), py - (on ? 3 : 1.5), on ? 6 : 3, on ? 6 : 3);
      });
      if (on) g.stroke();
    });
    canvas.dataset.tracks = String(tracks.length);
    canvas.dataset.drawnSlices = String(drawn);
  }

  function select(i) {
    selected = selected === i ? -1 : i;
    list.querySelectorAll('.journey').forEach((li, k) => li.classList.toggle('selected', k === selected));
    if (selected >= 0) {
      const j = data.journeys[selected];
      const ts = j.marks.map(m => m.t);
      const a = Math.min(...ts), b = Math.max(...ts), pad = Math.max(5, (b - a) * 0.2);
      view0 = a - pad; view1 = b + pad;
      info.textContent = j.skb + '  ' + (j.flow || '-') + '  ' + j.ending + '  (' + j.marks.length + ' steps)';
    } else {
      view0 = t0; view1 = t1;
      info.textContent = '';
    }
    draw();
  }

  data.journeys.forEach((j, i) => {
    const li = document.createElement('li');
    li.className = 'journey' + (j.ending.startsWith('dropped') ? ' dropped' : '');
    li.dataset.skb = j.skb;
    const head = document.createElement('div');
    head.textContent = j.skb + ' ' + (j.flow || '');
    const end = document.createElement('div');
    end.className = 'ending';
    end.textContent = j.marks.map(m => m.n).join(' > ') + ' : ' + j.ending;
    li.appendChild(head);
    li.appendChild(end);
    li.addEventListener('click', () => select(i));
    list.appendChild(li);
  });

  canvas.addEventListener('wheel', ev => {
    ev.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const at = view0 + (ev.clientX - rect.left - labelW) / (canvas.width - labelW - 10) * (view1 - view0);
    const f = ev.deltaY > 0 ? 1.25 : 0.8;
    view0 = at - (at - view0) * f; view1 = at + (view1 - at) * f;
    draw();
  }, { passive: false });
  let dragFrom = null;
  canvas.addEventListener('mousedown', ev => { dragFrom = ev.clientX; });
  window.addEventListener('mouseup', () => { dragFrom = null; });
  window.addEventListener('mousemove', ev => {
    if (dragFrom === null) return;
    const dt = (ev.clientX - dragFrom) / (canvas.width - labelW - 10) * (view1 - view0);
    view0 -= dt; view1 -= dt; dragFrom = ev.clientX;
    draw();
  });
  window.addEventListener('resize', () => { size(); draw(); });
  size();
  draw();
  document.body.dataset.ready = 'true';
})();

""";
}
