// Progressive enhancement only: every page works without this file (forms post, pages reload).
"use strict";

document.addEventListener("click", async (event) => {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
        const source = document.querySelector(copy.dataset.copy);
        try {
            await navigator.clipboard.writeText(source.textContent.trim());
            flash(copy, "Copied");
        } catch {
            window.getSelection().selectAllChildren(source);
            flash(copy, "Press Ctrl+C");
        }
        return;
    }
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
        document.getElementById(opener.dataset.openDialog)?.showModal();
    }
});

document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
    }
    if (!form.dataset.enhance) {
        return;
    }
    // Post in the background and swap in the part of the answer the form names (e.g. a test result).
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const target = document.querySelector(form.dataset.enhance);
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Sending…";
    target.setAttribute("aria-busy", "true");
    try {
        const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector(form.dataset.enhance);
        if (fresh) {
            target.replaceWith(fresh);
        } else {
            target.textContent = `The server answered ${response.status}; reload the page and try again.`;
        }
    } catch (error) {
        target.textContent = `Could not reach the server: ${error.message}`;
    } finally {
        target.removeAttribute("aria-busy");
        button.disabled = false;
        button.textContent = label;
    }
});

function flash(button, text) {
    const label = button.textContent;
    button.textContent = text;
    setTimeout(() => (button.textContent = label), 1500);
}

for (const dialog of document.querySelectorAll("dialog[data-show-modal]")) {
    dialog.close();
    dialog.showModal();
}

const log = document.getElementById("delivery-log");
if (log && window.EventSource) {
    const state = document.getElementById("live-state");
    const source = new EventSource(log.dataset.events);
    source.addEventListener("open", () => { state.textContent = "updates live"; log.dataset.live = "on"; });
    source.addEventListener("error", () => { state.textContent = "reconnecting…"; log.dataset.live = "off"; });
    source.addEventListener("delivery", (event) => refresh(event.data));
    source.addEventListener("hook", (event) => refreshHook(event.data));

    // The server-rendered fragment at url, or null when the server would not give it.
    async function fragment(url) {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) {
            return null;
        }
        const holder = document.createElement("template");
        holder.innerHTML = (await response.text()).trim();
        return holder.content;
    }

    // The hook was turned off or on: swap in its badge and disabled banner. Only the latest answer counts,
    // so a slow fetch cannot put back a state the hook has left.
    let hookFetches = 0;
    async function refreshHook(state) {
        if (document.getElementById("hook-banner")?.dataset.state === state) {
            return;
        }
        const mine = ++hookFetches;
        const fresh = await fragment(log.dataset.hookState);
        if (!fresh || mine !== hookFetches) {
            return;
        }
        for (const part of [...fresh.children]) {
            document.getElementById(part.id)?.replaceWith(part);
        }
    }

    // Whether the log takes in a delivery it does not show: the newest page of every delivery takes any; the newest
    // page of one status takes those in it now (and keeps them in place when they leave it, as the rows it was
    // rendered with); an older page takes none, nor one older than the page's last row, which the next page shows.
    function takes(id, status) {
        const wanted = log.dataset.takesNew;
        const olderFrom = log.dataset.olderFrom;
        return (wanted === "all" || wanted === status) && !(olderFrom && Number(id) < Number(olderFrom));
    }

    async function refresh(state) {
        const [id, status] = state.split(" ");
        const shown = document.getElementById("delivery-" + id);
        if (shown?.dataset.state === state || (!shown && !takes(id, status))) {
            return;
        }
        const holder = await fragment(log.dataset.fragment + encodeURIComponent(id));
        if (!holder) {
            return;
        }
        const fresh = holder.querySelector("li.delivery");
        const current = document.getElementById(fresh.id);
        if (current) {
            // Keep what the reader has opened.
            const open = [...current.querySelectorAll("details")].map((d) => d.open);
            fresh.querySelectorAll("details").forEach((d, i) => (d.open = open[i] ?? false));
            current.replaceWith(fresh);
        } else if (takes(fresh.dataset.id, fresh.dataset.state.split(" ")[1])) {
            const newer = Number(fresh.dataset.id);
            const before = [...log.children].find((li) => Number(li.dataset.id) < newer);
            log.insertBefore(fresh, before ?? null);
            fresh.classList.add("arrived");
            document.getElementById("log-empty")?.setAttribute("hidden", "");
        }
    }
}

// "Add header" in the hook form: one more empty name/value row (without script, saving adds one).
document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-header]");
    if (!add) {
        return;
    }
    const list = add.parentElement.querySelector(".header-list");
    const row = list.lastElementChild.cloneNode(true);
    const n = list.children.length + 1;
    row.querySelectorAll("input").forEach((input) => {
        input.value = "";
        input.placeholder = input.name.endsWith("Names") ? "X-Team" : "value";
        input.setAttribute("aria-label", (input.name.endsWith("Names") ? "Header name " : "Header value ") + n);
    });
    list.append(row);
    row.querySelector("input").focus();
});
