// Keyboard flow of the reply box: Enter sends, Shift+Enter inserts a new line.
window.omnichatWorkstation = {
  bindReplyBox(textareaId, buttonId) {
    // Marks the page interactive (the circuit is up); tests and scripts can wait for it.
    document.body.dataset.workstation = "interactive";
    document.addEventListener("keydown", (e) => {
      const box = e.target;
      if (!(box instanceof HTMLTextAreaElement) || box.id !== textareaId) return;
      // Template suggestions ("/" in the reply box): arrows choose, Enter or Tab takes, Escape closes.
      const list = document.getElementById("template-suggestions");
      if (list && !e.isComposing) {
        const options = [...list.querySelectorAll("[role=option]")];
        const current = Math.max(0, options.findIndex((o) => o.getAttribute("aria-selected") === "true"));
        const select = (i) => options.forEach((o, j) => o.setAttribute("aria-selected", String(i === j)));
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          select((current + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
          return;
        }
        if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
          e.preventDefault();
          options[current]?.click();
          return;
        }
        if (e.key === "Escape") {
          e.preventDefault(); // the page closes the list (it owns that markup)
          return;
        }
      }
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        // Let Blazor receive the latest value before the click sends it.
        box.dispatchEvent(new Event("input", { bubbles: true }));
        setTimeout(() => document.getElementById(buttonId)?.click(), 0);
      }
    });
  },
  // A new offer: a short tone, and a browser notification while the tab is hidden (each as the operator set it).
  notify(title, body, sound = true, desktop = true) {
    if (sound) this.tone();
    if (desktop) this.desktop(title, body);
  },
  // A new client message: only while the tab is hidden (the operator sees it otherwise).
  notifyMessage(title, sound = true, desktop = true) {
    if (!document.hidden) return;
    window.__omnichatMessageAlerts = (window.__omnichatMessageAlerts || 0) + 1;
    if (sound) this.tone();
    if (desktop) this.desktop(title, "");
  },
  desktop(title, body) {
    if (document.hidden && "Notification" in window) {
      if (Notification.permission === "granted") new Notification(title, { body });
      else if (Notification.permission === "default") Notification.requestPermission();
    }
  },
  tone() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
      window.__omnichatOfferSounds = (window.__omnichatOfferSounds || 0) + 1;
    } catch { /* no audio output: the visual offer is still there */ }
  },
  // Keyboard: Alt+↓/↑ next/previous conversation, Alt+A accept, Alt+C close, Alt+T transfer, Alt+N note,
  // Alt+R reply box, F1 help. Each presses the same button a mouse would (what is not there is not pressed).
  bindShortcuts() {
    const click = (selector) => document.querySelector(selector)?.click();
    document.addEventListener("keydown", (e) => {
      if (e.key === "F1") {
        e.preventDefault();
        click("#shortcuts");
        return;
      }
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const byCode = { KeyA: "a", KeyC: "c", KeyT: "t", KeyN: "n", KeyR: "r" }[e.code]; // any keyboard layout
      const action = { ArrowDown: "next", ArrowUp: "prev", a: "accept", c: "close", t: "transfer", n: "note", r: "reply" }[byCode ?? key];
      if (!action) return;
      e.preventDefault();
      if (action === "next" || action === "prev") {
        const items = [...document.querySelectorAll(".oc-conversation")];
        const at = items.findIndex((b) => b.classList.contains("oc-selected"));
        const to = items[action === "next" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1)];
        to?.click();
        to?.focus();
      } else if (action === "accept") click(".oc-offer .oc-accept");
      else if (action === "close") click("#close-conversation");
      else if (action === "transfer") click("#transfer");
      else if (action === "note") click("#note-mode");
      else if (action === "reply") document.getElementById("reply")?.focus();
    });
  },
  // Dropping files on the chat or pasting an image into the reply box hands them to the file input
  // (Blazor's InputFile reads them from there, as if they had been chosen).
  bindFileDrop(inputId) {
    const give = (files) => {
      const input = document.getElementById(inputId);
      if (!input || !files || files.length === 0) return false;
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(f);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    };
    document.addEventListener("dragover", (e) => {
      if (e.target.closest?.(".oc-chat") && e.dataTransfer?.types.includes("Files")) e.preventDefault();
    });
    document.addEventListener("drop", (e) => {
      if (e.target.closest?.(".oc-chat") && give(e.dataTransfer?.files)) e.preventDefault();
    });
    document.addEventListener("paste", (e) => {
      if (e.target.id === "reply" && give(e.clipboardData?.files)) e.preventDefault();
    });
  },
  focusEnd(id) {
    const el = document.getElementById(id);
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  },
  scrollToEnd(id) {
    const el = document.getElementById(id);
    if (el) el.scrollTop = el.scrollHeight;
  },
};
