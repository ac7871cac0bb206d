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
    queuePosition: (position: number, wait: number | null) =>
      `Вы в очереди: ${position}` + (wait === null ? "" : `, ожидание около ${Math.max(1, Math.round(wait / 60))} мин`),
    preChatTitle: "Представьтесь, пожалуйста",
    name: "Имя",
    phone: "Телефон",
    topic: "Тема обращения",
    chooseTopic: "Выберите тему",
    question: "Ваш вопрос",
    start: "Начать чат",
    required: "Заполните обязательные поля",
    nobodyOnline: "Сейчас операторов нет. Оставьте сообщение и e-mail — мы ответим письмом.",
    offlineEmail: "E-mail для ответа",
    rateTitle: "Оцените, пожалуйста, диалог",
    star: (n: number) => `Оценка ${n} из 5`,
    rateComment: "Комментарий (необязательно)",
    rateSend: "Отправить оценку",
    rateThanks: "Спасибо за оценку!",
    emoji: "Смайлики",
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
    queuePosition: (position: number, wait: number | null) =>
      `You are number ${position} in the queue` + (wait === null ? "" : `, about ${Math.max(1, Math.round(wait / 60))} min`),
    preChatTitle: "Please introduce yourself",
    name: "Name",
    phone: "Phone",
    topic: "Topic",
    chooseTopic: "Choose a topic",
    question: "Your question",
    start: "Start chat",
    required: "Please fill in the required fields",
    nobodyOnline: "No operators are available now. Leave a message and your e-mail — we will answer by e-mail.",
    offlineEmail: "E-mail for the answer",
    rateTitle: "Please rate the conversation",
    star: (n: number) => `Rating ${n} of 5`,
    rateComment: "Comment (optional)",
    rateSend: "Send rating",
    rateThanks: "Thank you for your rating!",
    emoji: "Emoji",
  },
} as const;

export type Texts = (typeof texts)["ru"];

export function pickLocale(requested: string | null | undefined): Locale {
  return requested?.toLowerCase().startsWith("en") ? "en" : "ru";
}

export function textsFor(locale: Locale): Texts {
  return texts[locale] as Texts;
}
