import type { PreChatForm } from "../sdk/types";
import type { Texts } from "./i18n";

/** What the pre-chat form collected: contacts for the session, the first message and its topic/consent. */
export interface PreChatAnswers {
  name?: string;
  email?: string;
  phone?: string;
  topic?: string;
  consent?: boolean;
  question: string;
}

function field(doc: Document, label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, required: boolean): HTMLLabelElement {
  const wrap = doc.createElement("label");
  wrap.className = "oc-field";
  const caption = doc.createElement("span");
  caption.textContent = required ? `${label} *` : label;
  input.required = required;
  wrap.append(caption, input);
  return wrap;
}

/**
 * The pre-chat form as the channel configures it (name, e-mail, phone: off/optional/required; a topic
 * list; a consent checkbox) plus the first question. All text is set as text, never as HTML.
 */
export function preChatForm(doc: Document, form: PreChatForm, t: Texts, nobodyOnline: boolean, onSubmit: (answers: PreChatAnswers) => void): HTMLFormElement {
  const el = doc.createElement("form");
  el.className = "oc-prechat";
  el.noValidate = false;
  const title = doc.createElement("h2");
  title.textContent = t.preChatTitle;
  el.append(title);
  if (nobodyOnline) {
    // The answer can come by e-mail: the field is offered even when the form has no e-mail of its own.
    const notice = doc.createElement("p");
    notice.className = "oc-offline";
    notice.textContent = t.nobodyOnline;
    el.append(notice);
  }
  const inputs: Record<string, HTMLInputElement> = {};
  for (const [key, label, type, mode] of [
    ["name", t.name, "text", form.name],
    ["email", t.email, "email", nobodyOnline && form.email === "off" ? "optional" : form.email],
    ["phone", t.phone, "tel", form.phone],
  ] as const) {
    if (mode === "off") continue;
    const input = doc.createElement("input");
    input.type = type;
    input.name = key;
    input.maxLength = key === "email" ? 254 : key === "phone" ? 32 : 200;
    if (key === "phone") input.pattern = "\\+?[0-9 ()\\-]{3,}";
    inputs[key] = input;
    el.append(field(doc, label, input, mode === "required"));
  }
  let topic: HTMLSelectElement | undefined;
  if (form.topics.length > 0) {
    topic = doc.createElement("select");
    topic.name = "topic";
    const placeholder = doc.createElement("option");
    placeholder.value = "";
    placeholder.textContent = t.chooseTopic;
    topic.append(placeholder);
    for (const name of form.topics) {
      const option = doc.createElement("option");
      option.value = name;
      option.textContent = name;
      topic.append(option);
    }
    el.append(field(doc, t.topic, topic, true));
  }
  const question = doc.createElement("textarea");
  question.name = "question";
  question.rows = 3;
  question.maxLength = 4000;
  el.append(field(doc, t.question, question, true));
  let consent: HTMLInputElement | undefined;
  if (form.consentText) {
    consent = doc.createElement("input");
    consent.type = "checkbox";
    consent.name = "consent";
    consent.required = true;
    const wrap = doc.createElement("label");
    wrap.className = "oc-consent";
    const text = doc.createElement("span");
    text.textContent = form.consentText;
    wrap.append(consent, text);
    el.append(wrap);
  }
  const error = doc.createElement("div");
  error.className = "oc-form-error";
  error.setAttribute("role", "alert");
  const submit = doc.createElement("button");
  submit.type = "submit";
  submit.className = "oc-start";
  submit.textContent = t.start;
  el.append(error, submit);
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!el.checkValidity() || !question.value.trim()) {
      error.textContent = t.required;
      el.reportValidity?.();
      return;
    }
    onSubmit({
      name: inputs.name?.value, email: inputs.email?.value, phone: inputs.phone?.value,
      topic: topic?.value || undefined, consent: consent ? consent.checked : undefined, question: question.value,
    });
  });
  return el;
}

/** 1–5 stars (radio-like buttons with labels) and an optional comment, shown once the conversation is closed. */
export function ratingPanel(doc: Document, t: Texts, onRate: (score: number, comment: string) => Promise<void>): HTMLFormElement {
  const el = doc.createElement("form");
  el.className = "oc-rating";
  const title = doc.createElement("div");
  title.className = "oc-rating-title";
  title.id = "oc-rating-title";
  title.textContent = t.rateTitle;
  const stars = doc.createElement("div");
  stars.className = "oc-stars";
  stars.setAttribute("role", "radiogroup");
  stars.setAttribute("aria-labelledby", title.id);
  let score = 0;
  const buttons: HTMLButtonElement[] = [];
  for (let n = 1; n <= 5; n++) {
    const star = doc.createElement("button");
    star.type = "button";
    star.className = "oc-star";
    star.textContent = "★";
    star.dataset.score = String(n);
    star.setAttribute("role", "radio");
    star.setAttribute("aria-checked", "false");
    star.setAttribute("aria-label", t.star(n));
    star.addEventListener("click", () => {
      score = n;
      buttons.forEach((b, i) => {
        b.classList.toggle("oc-on", i < n);
        b.setAttribute("aria-checked", String(i + 1 === n));
      });
    });
    buttons.push(star);
    stars.append(star);
  }
  const comment = doc.createElement("textarea");
  comment.className = "oc-rating-comment";
  comment.rows = 2;
  comment.maxLength = 2000;
  comment.placeholder = t.rateComment;
  comment.setAttribute("aria-label", t.rateComment);
  const send = doc.createElement("button");
  send.type = "submit";
  send.className = "oc-rate";
  send.textContent = t.rateSend;
  const status = doc.createElement("div");
  status.className = "oc-rating-status";
  status.setAttribute("role", "status");
  el.append(title, stars, comment, send, status);
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    if (score === 0) return;
    send.disabled = true;
    onRate(score, comment.value).then(
      () => {
        el.replaceChildren(status);
        status.textContent = t.rateThanks;
      },
      (err: unknown) => {
        send.disabled = false;
        status.textContent = (err as { message?: string }).message ?? "";
      });
  });
  return el;
}
