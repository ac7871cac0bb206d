import { describe, expect, it, vi } from "vitest";
import { preChatForm, ratingPanel } from "../src/chat/forms";
import { textsFor } from "../src/chat/i18n";
import type { PreChatForm } from "../src/sdk/types";

const hostile = `<img src=x onerror="window.__xss=1">`;
const config: PreChatForm = { enabled: true, name: "required", email: "optional", phone: "off", topics: ["Оплата", hostile], consentText: hostile };

describe("pre-chat form", () => {
  it("shows the configured fields, topics and consent as text, and refuses to start without the required ones", () => {
    const submitted = vi.fn();
    const form = preChatForm(document, config, textsFor("ru"), false, submitted);
    document.body.append(form);
    expect(form.querySelector("input[name=name]")?.hasAttribute("required")).toBe(true);
    expect(form.querySelector("input[name=email]")?.hasAttribute("required")).toBe(false);
    expect(form.querySelector("input[name=phone]")).toBeNull();
    expect([...form.querySelectorAll("option")].map((o) => o.textContent)).toEqual(["Выберите тему", "Оплата", hostile]);
    expect(form.querySelectorAll("img")).toHaveLength(0);

    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(submitted).not.toHaveBeenCalled();
    expect(form.querySelector(".oc-form-error")?.textContent).toBe("Заполните обязательные поля");

    (form.querySelector("input[name=name]") as HTMLInputElement).value = "Иван";
    (form.querySelector("select") as HTMLSelectElement).value = "Оплата";
    (form.querySelector("textarea") as HTMLTextAreaElement).value = "Не проходит оплата";
    (form.querySelector("input[name=consent]") as HTMLInputElement).checked = true;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(submitted).toHaveBeenCalledWith(expect.objectContaining({ name: "Иван", topic: "Оплата", consent: true, question: "Не проходит оплата" }));
    form.remove();
  });

  it("offers an e-mail for the answer when nobody is online, and says so", () => {
    const form = preChatForm(document, { ...config, email: "off" }, textsFor("en"), true, () => undefined);
    expect(form.querySelector("input[name=email]")).not.toBeNull();
    expect(form.querySelector(".oc-offline")?.textContent).toContain("No operators are available now");
  });
});

describe("rating panel", () => {
  it("sends the chosen stars and comment, then thanks", async () => {
    const rate = vi.fn().mockResolvedValue(undefined);
    const panel = ratingPanel(document, textsFor("ru"), rate);
    panel.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(rate).not.toHaveBeenCalled(); // no stars chosen yet
    (panel.querySelector("[data-score='4']") as HTMLButtonElement).click();
    expect(panel.querySelector("[data-score='4']")?.getAttribute("aria-checked")).toBe("true");
    expect(panel.querySelectorAll(".oc-star.oc-on")).toHaveLength(4);
    (panel.querySelector("textarea") as HTMLTextAreaElement).value = "Спасибо";
    panel.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(rate).toHaveBeenCalledWith(4, "Спасибо");
    await new Promise((r) => setTimeout(r, 0));
    expect(panel.textContent).toBe("Спасибо за оценку!");
  });
});
