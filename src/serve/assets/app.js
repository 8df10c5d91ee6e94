// coalition explorer: runs questions and the SPARQL editor against /sparql and renders the
// results as tables. Plain DOM, no dependencies; every value is inserted as text, never as HTML.
"use strict";

function link(iri) {
  const local = location.origin + "/";
  let href = null;
  if (iri.startsWith(local)) href = "/" + iri.slice(local.length);
  else if (/^https?:\/\//.test(iri)) href = iri;
  if (href === null) return document.createTextNode(iri);
  const a = document.createElement("a");
  a.href = href;
  a.textContent = iri;
  return a;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") td.appendChild(link(term.value));
  else td.textContent = term.value;
  return td;
}

function renderJson(data, target) {
  const table = document.createElement("table");
  table.className = "results";
  if (typeof data.boolean === "boolean") {
    const tr = table.insertRow();
    tr.insertCell().textContent = String(data.boolean);
  } else {
    const vars = data.head.vars || [];
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const b of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(b[v]));
    }
    const note = document.createElement("p");
    note.className = "muted";
    note.textContent = data.results.bindings.length + " result(s)";
    target.appendChild(note);
  }
  target.appendChild(table);
}

async function runQuery(query, target) {
  target.replaceChildren();
  target.setAttribute("aria-busy", "true");
  try {
    const res = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query }),
    });
    const type = res.headers.get("Content-Type") || "";
    if (!res.ok) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = res.status + ": " + (await res.text());
      target.appendChild(p);
    } else if (type.includes("json")) {
      renderJson(await res.json(), target);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await res.text();
      target.appendChild(pre);
    }
  } catch (e) {
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = String(e);
    target.appendChild(p);
  } finally {
    target.removeAttribute("aria-busy");
    target.dataset.done = "true";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const a of document.querySelectorAll("a.question")) {
    a.addEventListener("click", (ev) => {
      const text = document.getElementById("query-" + a.dataset.query);
      if (!text) return;
      ev.preventDefault();
      const editor = document.getElementById("query");
      if (editor) editor.value = text.textContent;
      runQuery(text.textContent, document.getElementById("answer"));
    });
  }
  const form = document.getElementById("sparql-form");
  if (form) {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      runQuery(document.getElementById("query").value, document.getElementById("results"));
    });
  }
});
