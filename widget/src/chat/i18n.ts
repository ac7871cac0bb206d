export type Locale = "ru" | "en";

const texts = {
  ru: {
    title: "Чат поддержки",
    placeholder: "Напишите сообщение…",
    send: "Отправить",
    sending: "отправляется…",
    offline: "Нет связи — сообщения будут отправлены, когда связь восстановится",
    connecting: "Подключение…",
    queued: "Ожидайте ответа оператора",
    assigned: (name: string | null) => (name ? `Вам отвечает ${name}` : "Оператор подключился"),
    closed: "Диалог завершён. Напишите, если остались вопросы",
    typing: "Оператор печатает…",
    you: "Вы",
    operator: "Оператор",
    messages: "Сообщения",
    error: "Сообщение не отправлено",
    close: "Закрыть чат",
    transcript: "Отправить историю на e-mail",
    email: "Ваш e-mail",
    transcriptSend: "Отправить",
    transcriptSent: "История отправлена на ",
    transcriptFailed: "Не удалось отправить: ",
  },
  en: {
    title: "Support chat",
    placeholder: "Type a message…",
    send: "Send",
    sending: "sending…",
    offline: "Offline — messages will be sent when the connection is back",
    connecting: "Connecting…",
    queued: "Waiting for an operator",
    assigned: (name: string | null) => (name ? `${name} is answering you` : "An operator has joined"),
    closed: "The conversation has ended. Write again if you need anything",
    typing: "Operator is typing…",
    you: "You",
    operator: "Operator",
    messages: "Messages",
    error: "Message not sent",
    close: "Close chat",
    transcript: "E-mail me the transcript",
    email: "Your e-mail",
    transcriptSend: "Send",
    transcriptSent: "Transcript sent to ",
    transcriptFailed: "Could not send: ",
  },
} as const;

export type Texts = (typeof texts)["ru"];

export function pickLocale(requested: string | null | undefined): Locale {
  return requested?.toLowerCase().startsWith("en") ? "en" : "ru";
}

export function textsFor(locale: Locale): Texts {
  return texts[locale] as Texts;
}
