// redline web page: upload or paste sites, run the screen process as a job,
// and show the verdicts, the conflict table and a map (SVG, pan and zoom).
// Everything comes from this server; no external URL.
"use strict";
(function () {
  const $ = (s) => document.querySelector(s);
  const SVGNS = "http://www.w3.org/2000/svg";
  const EN = {
    title: "Ecological red-line pre-approval screening",
    drop: "Choose or drop a site file (GeoJSON, zipped shapefile, 界址点 TXT, KML/KMZ)",
    paste: "or paste coordinates (one lon,lat per line; CGCS2000)",
    type: "Project type", "type-auto": "from the file's project_type", near: "Nearby within", token: "Access token",
    run: "Screen", download: "Download: ", "dl-html": "HTML report", "dl-xlsx": "Excel", "dl-geojson": "overlap pieces GeoJSON",
    verdicts: "Verdict per site", conflicts: "Conflicts", "col-index": "#", "col-id": "ID", "col-name": "Name",
    "col-type": "Type", "col-area": "Area (ha)", "col-verdict": "Verdict", "col-layer": "Layer", "col-feature": "Feature",
    "col-zone": "Zone", "col-overlap": "Overlap (m²)", "col-pct": "Share %", "col-basis": "Basis",
    disclaimer: "Note: verdicts are a screening aid, not a legal decision; the competent authority decides.",
  };
  const MSG = {
    zh: { uploading: "正在提交…", queued: "排队中…", running: "筛查中… ", done: "完成：", sites: "个地块", none: "请先选择文件或粘贴坐标",
      failed: "筛查失败：", token: "需要访问令牌", sitesLayer: "项目用地", pieces: "重叠部分（按结论着色）", noConflicts: "无冲突",
      length: "长度", point: "点" },
    en: { uploading: "Submitting…", queued: "Queued…", running: "Screening… ", done: "Done: ", sites: "sites", none: "Choose a file or paste coordinates first",
      failed: "Screening failed: ", token: "An access token is needed", sitesLayer: "sites", pieces: "overlaps (by verdict)", noConflicts: "no conflicts",
      length: "length", point: "point" },
  };
  const st = { lang: "zh", cfg: null, job: null, result: null, zh: {}, view: { k: 1, tx: 0, ty: 0 }, lat0: 24, world: null };

  // ---- i18n ----
  function setLang(lang) {
    st.lang = lang;
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    $("#lang-zh").classList.toggle("on", lang !== "en");
    $("#lang-en").classList.toggle("on", lang === "en");
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      const key = el.dataset.i18n;
      if (!(key in st.zh)) st.zh[key] = el.textContent;
      el.textContent = lang === "en" ? EN[key] || st.zh[key] : st.zh[key];
    });
    fillTypes();
    if (st.result) render();
    legend();
  }
  const m = (k) => MSG[st.lang][k];
  function verdictText(v) { const d = st.cfg && st.cfg.Verdicts[v]; return d ? d[st.lang] : v; }
  function verdictColor(v) { const d = st.cfg && st.cfg.Verdicts[v]; return d ? d.color : "#607d8b"; }
  function typeText(t) {
    if (!st.cfg) return t;
    const p = st.cfg.ProjectTypes.find((x) => x.id === t);
    return p && st.lang !== "en" ? p.zh : t;
  }
  function fillTypes() {
    const sel = $("#type"), cur = sel.value;
    while (sel.options.length > 1) sel.remove(1);
    if (!st.cfg) return;
    for (const p of st.cfg.ProjectTypes) sel.add(new Option(st.lang === "en" ? p.id : p.zh + " " + p.id, p.id));
    sel.value = cur;
  }

  // ---- HTTP ----
  async function api(url, opt) {
    opt = opt || {};
    opt.headers = opt.headers || {};
    const tok = $("#token").value || sessionStorage.getItem("redline-token");
    if (tok) opt.headers.Authorization = "Bearer " + tok;
    const r = await fetch(url, opt);
    if (r.status === 401) { $("#token-row").hidden = false; throw new Error(m("token")); }
    if (!r.ok) {
      let detail = r.status + " " + r.statusText;
      try { const p = await r.json(); detail = p.detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return r;
  }
  function status(text, error) { const el = $("#status"); el.textContent = text; el.classList.toggle("error", !!error); }

  // ---- the request ----
  function pastedSites() {
    const pts = $("#coords").value.split(/\n/).map((l) => l.trim()).filter(Boolean).map((l) => l.split(/[\s,，]+/).map(Number));
    if (!pts.length || pts.some((p) => p.length < 2 || p.some((x) => !isFinite(x)))) return null;
    let g;
    if (pts.length === 1) g = { type: "Point", coordinates: pts[0] };
    else if (pts.length === 2) g = { type: "LineString", coordinates: pts };
    else {
      const ring = pts.slice();
      const a = ring[0], b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) ring.push(a);
      g = { type: "Polygon", coordinates: [ring] };
    }
    return { type: "FeatureCollection", features: [{ type: "Feature", id: "P1", properties: { name: "pasted" }, geometry: g }] };
  }
  async function submit(ev) {
    ev.preventDefault();
    const files = $("#file").files;
    const inputs = { near: $("#near").value || "1km", lang: st.lang };
    if ($("#type").value) inputs.type = $("#type").value;
    let body, headers = { Prefer: "respond-async" };
    if (files.length) {
      body = new FormData();
      for (const f of files) body.append("sites", f, f.name);
      for (const k in inputs) body.append(k, inputs[k]);
    } else {
      const fc = pastedSites();
      if (!fc) { status(m("none"), true); return; }
      inputs.sites = fc;
      body = JSON.stringify({ inputs });
      headers["Content-Type"] = "application/json";
    }
    if ($("#token").value) sessionStorage.setItem("redline-token", $("#token").value);
    $("#run").disabled = true;
    status(m("uploading"));
    try {
      if (!st.cfg) await loadConfig();
      const r = await api("/processes/screen/execution", { method: "POST", body, headers });
      const doc = await r.json();
      const job = r.headers.get("Location") || "/jobs/" + doc.jobID;
      st.job = job;
      await poll(job);
      const [res, pieces, sites] = await Promise.all([
        api(job + "/results?f=json").then((x) => x.json()),
        api(job + "/results?f=geojson").then((x) => x.json()),
        api(job + "/sites").then((x) => x.json()),
      ]);
      st.result = { res, pieces, sites };
      render();
      drawResult();
      status(m("done") + res.summary.sites + " " + m("sites"));
      $("#downloads").hidden = false;
    } catch (e) {
      status(m("failed") + e.message, true);
    } finally {
      $("#run").disabled = false;
    }
  }
  async function poll(job) {
    for (let i = 0; i < 1200; i++) {
      const s = await (await api(job)).json();
      if (s.status === "successful") return;
      if (s.status === "failed" || s.status === "dismissed") throw new Error(s.message || s.status);
      status(s.status === "accepted" ? m("queued") : m("running") + (s.progress || 0) + "%");
      await new Promise((ok) => setTimeout(ok, i < 20 ? 150 : 500));
    }
    throw new Error("timeout");
  }
  async function download(ev) {
    ev.preventDefault();
    if (!st.job) return;
    const f = ev.target.dataset.f;
    const r = await api(st.job + "/results?f=" + f + "&lang=" + st.lang);
    const url = URL.createObjectURL(await r.blob());
    if (f === "html") { window.open(url, "_blank"); return; }
    const a = document.createElement("a");
    a.href = url; a.download = "screen." + f; document.body.appendChild(a); a.click(); a.remove();
  }

  // ---- tables ----
  const fmt = (x, d) => Number(x).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  function td(tr, text, cls) { const c = tr.insertCell(); c.textContent = text; if (cls) c.className = cls; return c; }
  function badge(v) { const s = document.createElement("span"); s.className = "badge"; s.style.background = verdictColor(v); s.textContent = verdictText(v); return s; }
  function render() {
    const { res } = st.result;
    const sb = $("#site-table tbody"), cb = $("#conflict-table tbody");
    sb.textContent = ""; cb.textContent = "";
    for (const s of res.sites) {
      const tr = sb.insertRow();
      tr.dataset.index = s.index;
      td(tr, s.index + 1, "num"); td(tr, s.id); td(tr, s.name); td(tr, typeText(s.project_type));
      td(tr, s.geometry_type === "LineString" || s.geometry_type === "MultiLineString" ? m("length") + " " + fmt(s.length_m, 1) + " m"
        : s.geometry_type === "Point" || s.geometry_type === "MultiPoint" ? "-" : fmt(s.area_m2 / 10000, 4), "num");
      td(tr, "").appendChild(badge(s.verdict));
      tr.addEventListener("click", () => focusSite(s.index));
      for (const c of s.conflicts) {
        const r = cb.insertRow();
        r.dataset.index = s.index;
        td(r, s.id); td(r, c.layer); td(r, c.feature_name || c.feature_id || "#" + c.feature_index); td(r, c.zone || "");
        td(r, fmt(c.overlap_m2, 2), "num"); td(r, fmt(c.overlap_pct, 2), "num");
        td(r, "").appendChild(badge(c.verdict));
        td(r, (st.lang === "en" && c.basis_en) || c.basis, "basis");
      }
    }
    const sum = $("#summary");
    sum.textContent = "";
    sum.className = "counts";
    for (const v of ["prohibited", "restricted", "review", "allowed", "clear"]) {
      const n = res.summary[v];
      if (!n) continue;
      const sp = document.createElement("span");
      sp.appendChild(badge(v)); sp.appendChild(document.createTextNode(" " + n));
      sum.appendChild(sp);
    }
  }

  // ---- map ----
  const map = () => $("#map");
  function project(p) { return [p[0] * 111320 * Math.cos(st.lat0 * Math.PI / 180), -p[1] * 110574]; }
  function ringPath(ring) { return ring.map((p, i) => (i ? "L" : "M") + project(p).map((x) => x.toFixed(1)).join(",")).join("") + "Z"; }
  function linePath(line) { return line.map((p, i) => (i ? "L" : "M") + project(p).map((x) => x.toFixed(1)).join(",")).join(""); }
  function geomPath(g) {
    if (!g) return "";
    switch (g.type) {
      case "Polygon": return g.coordinates.map(ringPath).join("");
      case "MultiPolygon": return g.coordinates.map((p) => p.map(ringPath).join("")).join("");
      case "LineString": return linePath(g.coordinates);
      case "MultiLineString": return g.coordinates.map(linePath).join("");
      case "GeometryCollection": return g.geometries.map(geomPath).join("");
    }
    return "";
  }
  function points(g, out) {
    if (!g) return out;
    if (g.type === "Point") out.push(g.coordinates);
    else if (g.type === "MultiPoint") out.push(...g.coordinates);
    else if (g.type === "GeometryCollection") g.geometries.forEach((x) => points(x, out));
    return out;
  }
  function el(name, attrs, parent) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function drawFeatures(group, fc, style) {
    for (const f of fc.features || []) {
      const s = style(f);
      const d = geomPath(f.geometry);
      if (d) {
        const p = el("path", { d, fill: s.fill, "fill-opacity": s.opacity, stroke: s.stroke, "stroke-width": s.width || 1,
          "fill-rule": "evenodd" }, group);
        if (s.title) el("title", {}, p).textContent = s.title;
        if (/LineString/.test(f.geometry.type)) p.setAttribute("fill", "none");
      }
      for (const pt of points(f.geometry, [])) {
        const [x, y] = project(pt);
        const c = el("circle", { cx: x, cy: y, r: 6 / st.view.k, fill: s.stroke, stroke: "#fff", "stroke-width": 1, class: "pt" }, group);
        if (s.title) el("title", {}, c).textContent = s.title;
      }
    }
  }
  function layerStyle(l) {
    return (f) => {
      const z = f.properties.redline_zone || "";
      const s = l.Styles[z] || l.Styles[""];
      return { fill: s.Fill, stroke: s.Stroke, opacity: 0.45, title: l.Name + " " + (f.properties.redline_name || f.properties.redline_id || f.id) + (z ? " · " + z : "") };
    };
  }
  async function loadLayers(bbox) {
    const g = $("#layers");
    const parts = await Promise.all(st.cfg.Layers.map((l) =>
      api("/collections/" + encodeURIComponent(l.Name) + "/items?limit=2000&bbox=" + bbox.map((x) => x.toFixed(6)).join(","))
        .then((r) => r.json()).then((fc) => [l, fc])));
    g.textContent = "";
    for (const [l, fc] of parts) drawFeatures(el("g", { "data-layer": l.Name }, g), fc, layerStyle(l));
  }
  function bboxOf(fcs) {
    let b = null;
    const add = (p) => { b = b ? [Math.min(b[0], p[0]), Math.min(b[1], p[1]), Math.max(b[2], p[0]), Math.max(b[3], p[1])] : [p[0], p[1], p[0], p[1]]; };
    const walk = (c) => { if (typeof c[0] === "number") add(c); else c.forEach(walk); };
    for (const fc of fcs) for (const f of fc.features || []) {
      if (!f.geometry) continue;
      if (f.geometry.type === "GeometryCollection") f.geometry.geometries.forEach((g) => walk(g.coordinates));
      else walk(f.geometry.coordinates);
    }
    return b;
  }
  function fit(b) {
    if (!b) return;
    const [x0, y1] = project([b[0], b[1]]), [x1, y0] = project([b[2], b[3]]);
    const r = map().getBoundingClientRect();
    const w = Math.max(x1 - x0, 50), h = Math.max(y1 - y0, 50);
    const k = 0.8 * Math.min(r.width / w, r.height / h);
    st.view = { k, tx: r.width / 2 - k * (x0 + x1) / 2, ty: r.height / 2 - k * (y0 + y1) / 2 };
    apply();
  }
  function apply() {
    const v = st.view;
    $("#view").setAttribute("transform", `translate(${v.tx},${v.ty}) scale(${v.k})`);
    document.querySelectorAll("#map circle.pt").forEach((c) => c.setAttribute("r", 6 / v.k));
    scaleBar();
  }
  function scaleBar() {
    const mPerPx = 1 / st.view.k;
    const target = 100 * mPerPx;
    const pow = Math.pow(10, Math.floor(Math.log10(target)));
    const len = [1, 2, 5, 10].map((x) => x * pow).filter((x) => x <= target).pop() || pow;
    const box = $("#scale");
    box.textContent = "";
    const bar = document.createElement("div");
    bar.style.width = (len / mPerPx) + "px";
    box.appendChild(bar);
    box.appendChild(document.createTextNode(len >= 1000 ? len / 1000 + " km" : len + " m"));
  }
  function zoom(f, cx, cy) {
    const r = map().getBoundingClientRect();
    if (cx === undefined) { cx = r.width / 2; cy = r.height / 2; }
    const v = st.view;
    v.tx = cx - f * (cx - v.tx); v.ty = cy - f * (cy - v.ty); v.k *= f;
    apply();
  }
  function panZoom() {
    const svg = map();
    let drag = null;
    svg.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY]; svg.setPointerCapture(e.pointerId); svg.classList.add("drag"); });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      st.view.tx += e.clientX - drag[0]; st.view.ty += e.clientY - drag[1]; drag = [e.clientX, e.clientY]; apply();
    });
    svg.addEventListener("pointerup", () => { drag = null; svg.classList.remove("drag"); });
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    $("#zoom-in").onclick = () => zoom(1.5);
    $("#zoom-out").onclick = () => zoom(1 / 1.5);
    $("#zoom-fit").onclick = () => fit(st.result ? bboxOf([st.result.sites]) : extent());
  }
  function extent() {
    let b = null;
    for (const l of st.cfg.Layers) if (l.Features) b = b ? [Math.min(b[0], l.Bbox[0]), Math.min(b[1], l.Bbox[1]), Math.max(b[2], l.Bbox[2]), Math.max(b[3], l.Bbox[3])] : l.Bbox.slice();
    return b;
  }
  async function drawResult() {
    const { sites, pieces, res } = st.result;
    const byIndex = {};
    res.sites.forEach((s) => { byIndex[s.index] = s; });
    const b = bboxOf([sites]);
    if (!b) return;
    // Everything is drawn again in a projection centred on the sites.
    st.lat0 = (b[1] + b[3]) / 2;
    $("#layers").textContent = "";
    fit(b);
    // The constraint features around the sites: their box grown by the
    // nearby distance asked for (at least ~300 m), in degrees.
    const mm = /^\s*([\d.]+)\s*(km|公里|千米)?/i.exec($("#near").value || "1km");
    const nearM = mm ? parseFloat(mm[1]) * (mm[2] ? 1000 : 1) : 1000;
    const near = Math.max(300, nearM) / 100000;
    await loadLayers([b[0] - near, b[1] - near, b[2] + near, b[3] + near]);
    const pg = $("#pieces"), sg = $("#sites");
    pg.textContent = ""; sg.textContent = "";
    drawFeatures(pg, pieces, (f) => ({ fill: verdictColor(f.properties.verdict), stroke: verdictColor(f.properties.verdict), opacity: 0.85,
      title: (f.properties.site_id || "") + " ∩ " + (f.properties.layer || "") + " " + verdictText(f.properties.verdict) }));
    drawFeatures(sg, sites, (f) => ({ fill: "none", stroke: "#000", opacity: 0, width: 2,
      title: f.properties.id + " " + (f.properties.name || "") + " · " + verdictText((byIndex[f.properties.index] || {}).verdict) }));
    for (const f of sites.features) {
      const c = centre(f.geometry);
      if (!c) continue;
      const [x, y] = project(c);
      const t = el("text", { x, y, "font-size": 12, "text-anchor": "middle", fill: "#000", stroke: "#fff", "stroke-width": 3,
        "paint-order": "stroke", class: "label" }, sg);
      t.textContent = f.properties.id;
    }
    labels();
    legend();
  }
  function centre(g) { const b = bboxOf([{ features: [{ geometry: g }] }]); return b && [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]; }
  function labels() {
    document.querySelectorAll("#map text.label").forEach((t) => { t.setAttribute("font-size", 12 / st.view.k); t.setAttribute("stroke-width", 3 / st.view.k); });
  }
  function focusSite(i) {
    const f = st.result.sites.features.find((x) => x.properties.index === i);
    if (f) fit(bboxOf([{ features: [f] }]));
    document.querySelectorAll("tr.sel").forEach((r) => r.classList.remove("sel"));
    document.querySelectorAll(`tr[data-index="${i}"]`).forEach((r) => r.classList.add("sel"));
    labels();
  }
  function legend() {
    const box = $("#legend");
    box.textContent = "";
    if (!st.cfg) return;
    const item = (fill, stroke, text) => {
      const d = document.createElement("div");
      const i = document.createElement("i");
      i.style.background = fill; i.style.borderColor = stroke;
      d.appendChild(i); d.appendChild(document.createTextNode(text)); box.appendChild(d);
    };
    for (const l of st.cfg.Layers) {
      const zones = Object.keys(l.Styles).filter((z) => z !== "");
      if (!zones.length) item(l.Styles[""].Fill, l.Styles[""].Stroke, l.Name);
      for (const z of zones) item(l.Styles[z].Fill, l.Styles[z].Stroke, l.Name + " · " + z);
    }
    item("transparent", "#000", m("sitesLayer"));
    for (const v of ["prohibited", "restricted", "review", "allowed"]) item(verdictColor(v), verdictColor(v), m("pieces").split("（")[0].split(" (")[0] + " · " + verdictText(v));
  }

  // ---- start ----
  async function start() {
    $("#lang-zh").onclick = () => setLang("zh");
    $("#lang-en").onclick = () => setLang("en");
    $("#form").addEventListener("submit", submit);
    document.querySelectorAll("#downloads a").forEach((a) => a.addEventListener("click", download));
    const drop = $("#drop"), file = $("#file");
    file.addEventListener("change", () => { $("#file-name").textContent = [...file.files].map((f) => f.name).join(", "); });
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); file.files = e.dataTransfer.files; file.dispatchEvent(new Event("change")); });
    panZoom();
    setLang(new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh");
    try { await loadConfig(); } catch (e) { status(e.message, true); }
    document.body.dataset.ready = "1";
  }
  // loadConfig fetches the layers and palette; with a token server it runs
  // again once the token is typed.
  async function loadConfig() {
    st.cfg = await (await api("/web/config.json")).json();
    if (st.cfg.Note) { $("#note").hidden = false; $("#note").textContent = st.cfg.Note; }
    fillTypes();
    legend();
    const b = extent();
    // A first look at small layers; large ones are drawn around the sites only.
    if (b && st.cfg.Layers.every((l) => l.Features <= 2000)) { st.lat0 = (b[1] + b[3]) / 2; fit(b); loadLayers(b).catch((e) => status(e.message, true)); }
  }
  start();
})();
