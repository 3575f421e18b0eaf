// The bin page's live list: each captured request is named by the event stream and fetched as a fragment.
"use strict";

const binLog = document.getElementById("bin-log");
if (binLog && window.EventSource) {
    const state = document.getElementById("live-state");
    const count = document.getElementById("bin-count");
    const source = new EventSource(binLog.dataset.events);
    source.addEventListener("open", () => { state.textContent = "updates live"; binLog.dataset.live = "on"; });
    source.addEventListener("error", () => { state.textContent = "reconnecting…"; binLog.dataset.live = "off"; });
    source.addEventListener("request", (event) => add(event.data));

    async function add(id) {
        if (document.getElementById("request-" + id)) {
            return;
        }
        const response = await fetch(binLog.dataset.fragment + encodeURIComponent(id), { credentials: "same-origin" });
        if (!response.ok || document.getElementById("request-" + id)) {
            return;
        }
        const holder = document.createElement("template");
        holder.innerHTML = (await response.text()).trim();
        const fresh = holder.content.querySelector("li.bin-request");
        const newer = Number(fresh.dataset.id);
        const before = [...binLog.children].find((li) => Number(li.dataset.id) < newer);
        binLog.insertBefore(fresh, before ?? null);
        fresh.classList.add("arrived");
        count.textContent = String(Number(count.textContent) + 1);
        document.getElementById("bin-empty")?.setAttribute("hidden", "");
    }
}
