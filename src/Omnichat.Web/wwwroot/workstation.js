// Keyboard flow of the reply box: Enter sends, Shift+Enter inserts a new line.
window.omnichatWorkstation = {
  bindReplyBox(textareaId, buttonId) {
    // Marks the page interactive (the circuit is up); tests and scripts can wait for it.
    document.body.dataset.workstation = "interactive";
    document.addEventListener("keydown", (e) => {
      const box = e.target;
      if (!(box instanceof HTMLTextAreaElement) || box.id !== textareaId) return;
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        // Let Blazor receive the latest value before the click sends it.
        box.dispatchEvent(new Event("input", { bubbles: true }));
        setTimeout(() => document.getElementById(buttonId)?.click(), 0);
      }
    });
  },
  scrollToEnd(id) {
    const el = document.getElementById(id);
    if (el) el.scrollTop = el.scrollHeight;
  },
};
