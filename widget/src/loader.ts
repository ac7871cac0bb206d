// widget.js: the one tag a site adds. It draws the launcher and, on first open, an isolated
// iframe with the chat (the host page's CSS and scripts cannot reach into it).
(() => {
  const script = (document.currentScript ?? document.querySelector("script[data-channel]")) as HTMLScriptElement | null;
  if (!script || (window as unknown as { __omnichat?: boolean }).__omnichat) return;
  (window as unknown as { __omnichat?: boolean }).__omnichat = true;
  const channel = script.dataset.channel ?? "";
  const origin = new URL(script.src, location.href).origin;
  const lang = (script.dataset.lang ?? document.documentElement.lang ?? navigator.language ?? "ru").toLowerCase().startsWith("en") ? "en" : "ru";
  const label = lang === "en" ? "Open support chat" : "Открыть чат поддержки";
  // A signed-in user of the site (data-external-id + data-user-hash from the site's back end) travels in
  // the URL fragment: it reaches the chat window but is never sent to any server in a URL.
  const d = script.dataset;
  // data-field-contract-id="…" → custom field "contract_id" (kept for a verified user only).
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k.startsWith("field") && k.length > 5 && v !== undefined) fields[k.slice(5).replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()).slice(1)] = v;
  }
  const user = d.externalId || d.name || d.email || d.phone
    ? { externalId: d.externalId, userHash: d.userHash, name: d.name, email: d.email, phone: d.phone, fields: Object.keys(fields).length ? fields : undefined }
    : null;
  const fragment = user ? "#u=" + encodeURIComponent(JSON.stringify(user)) : "";

  const button = document.createElement("button");
  button.type = "button";
  button.id = "omnichat-launcher";
  button.setAttribute("aria-label", label);
  button.setAttribute("aria-expanded", "false");
  button.textContent = "💬";
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;z-index:2147483646;width:56px;height:56px;border-radius:50%;border:0;" +
    "background:#1565c0;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.3)";

  // Unread answers while the chat is minimised: a badge on the launcher and a short tone.
  const badge = document.createElement("span");
  badge.id = "omnichat-unread";
  badge.style.cssText =
    "position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#d32f2f;color:#fff;" +
    "font:bold 12px/20px system-ui,sans-serif;text-align:center;padding:0 5px;display:none";
  button.style.overflow = "visible";
  const unreadLabel = (n: number) => (lang === "en" ? `${n} unread` : `Непрочитанных: ${n}`);
  const showUnread = (count: number) => {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.style.display = count > 0 ? "block" : "none";
    badge.setAttribute("aria-label", unreadLabel(count));
    button.setAttribute("aria-label", count > 0 ? `${button.dataset.label ?? label} (${unreadLabel(count)})` : button.dataset.label ?? label);
  };
  const beep = () => {
    try {
      const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctx) return;
      const ctx = new Ctx();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.06;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.2);
      (window as unknown as { __omnichatSounds?: number }).__omnichatSounds = ((window as unknown as { __omnichatSounds?: number }).__omnichatSounds ?? 0) + 1;
    } catch {
      // no audio: the badge is still there
    }
  };

  let frame: HTMLIFrameElement | null = null;
  let side = "right";
  const toggle = (open: boolean) => {
    if (open && !frame) {
      frame = document.createElement("iframe");
      frame.id = "omnichat-frame";
      frame.title = lang === "en" ? "Support chat" : "Чат поддержки";
      frame.src = `${origin}/widget/frame.html?channel=${encodeURIComponent(channel)}&lang=${lang}${fragment}`;
      document.body.append(frame);
    }
    if (frame) {
      // On a phone-sized screen the chat takes the whole screen (its × closes it); otherwise a panel.
      frame.style.cssText = matchMedia("(max-width: 480px)").matches
        ? "position:fixed;inset:0;width:100%;height:100%;z-index:2147483647;border:0;background:#fff"
        : `position:fixed;${side}:20px;bottom:88px;z-index:2147483647;width:min(380px,calc(100vw - 40px));` +
          "height:min(560px,calc(100vh - 120px));border:0;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);background:#fff";
      frame.style.display = open ? "block" : "none";
    }
    button.setAttribute("aria-expanded", String(open));
    // The chat counts answers only while it is minimised.
    frame?.contentWindow?.postMessage({ omnichat: "visible", open }, origin);
    if (open) showUnread(0);
  };
  button.addEventListener("click", () => toggle(!frame || frame.style.display === "none"));
  addEventListener("message", (e) => {
    if (e.origin !== origin) return;
    const data = e.data as { omnichat?: string; count?: unknown };
    if (data?.omnichat === "close") {
      toggle(false);
      button.focus();
    } else if (data?.omnichat === "unread" && typeof data.count === "number" && frame?.style.display === "none") {
      showUnread(Math.max(0, Math.floor(data.count)));
      if (data.count > 0) beep();
    }
  });
  // The channel's look: colour, side, launcher text (public, cached for a minute).
  fetch(`${origin}/api/client/v1/channels/${encodeURIComponent(channel)}/config`)
    .then((r) => (r.ok ? r.json() : null))
    .then((config: { color?: string | null; position?: string; launcherText?: string | null } | null) => {
      if (!config) return;
      if (config.color && /^#[0-9a-f]{6}$/i.test(config.color)) button.style.background = config.color;
      if (config.position === "left") {
        button.style.right = "auto";
        button.style.left = "20px";
        side = "left";
      }
      if (config.launcherText) {
        button.textContent = config.launcherText;
        button.style.width = "auto";
        button.style.borderRadius = "28px";
        button.style.padding = "0 20px";
        button.style.fontSize = "16px";
        button.setAttribute("aria-label", config.launcherText);
        button.dataset.label = config.launcherText;
        button.append(badge);
      }
    })
    .catch(() => undefined);
  button.append(badge);
  const mount = () => document.body.append(button);
  if (document.body) mount();
  else addEventListener("DOMContentLoaded", mount);
})();
