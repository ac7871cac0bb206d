using System.Globalization;

namespace Omnichat.Web.Shared;

/// <summary>
/// Interface text in Russian (default) and English, chosen by the request culture (cookie set by
/// <c>/culture</c>). One table keeps both languages side by side so neither falls behind.
/// </summary>
public static class UiText
{
    private static readonly Dictionary<string, (string Ru, string En)> Texts = new(StringComparer.Ordinal)
    {
        ["app.title"] = ("Omnichat — рабочее место оператора", "Omnichat — operator workstation"),
        ["login.title"] = ("Вход", "Sign in"),
        ["login.login"] = ("Логин", "Login"),
        ["login.password"] = ("Пароль", "Password"),
        ["login.remember"] = ("Запомнить меня", "Remember me"),
        ["login.submit"] = ("Войти", "Sign in"),
        ["login.failed"] = ("Неверный логин или пароль.", "Wrong login or password."),
        ["login.locked"] = ("Слишком много неудачных попыток: вход временно заблокирован.", "Too many failed attempts: the account is locked for a while."),
        ["logout"] = ("Выйти", "Sign out"),
        ["status.ready"] = ("Готов", "Ready"),
        ["status.notReady"] = ("Не готов", "Not ready"),
        ["status.label"] = ("Статус", "Status"),
        ["list.mine"] = ("Мои диалоги", "My conversations"),
        ["list.empty"] = ("Нет активных диалогов", "No active conversations"),
        ["list.queue"] = ("В очереди моих групп", "Waiting in my groups"),
        ["chat.none"] = ("Выберите диалог слева", "Pick a conversation on the left"),
        ["chat.placeholder"] = ("Ответ клиенту… (Enter — отправить, Shift+Enter — новая строка, / — шаблоны)", "Reply… (Enter sends, Shift+Enter adds a line, / for templates)"),
        ["chat.send"] = ("Отправить", "Send"),
        ["chat.note"] = ("Заметка", "Note"),
        ["chat.noteHint"] = ("Заметку видят только сотрудники, клиенту она не отправляется", "Only staff see a note; it is not sent to the client"),
        ["tags.title"] = ("Теги", "Tags"),
        ["tags.add"] = ("+ тег", "+ tag"),
        ["tags.remove"] = ("Убрать тег", "Remove tag"),
        ["close.resolution"] = ("Результат обращения", "Resolution"),
        ["close.choose"] = ("— выберите —", "— choose —"),
        ["close.none"] = ("— без кода —", "— none —"),
        ["templates.title"] = ("Шаблоны ответов", "Reply templates"),
        ["templates.favourite"] = ("Избранный", "Favourite"),
        ["chat.attach"] = ("Прикрепить файл (можно перетащить или вставить)", "Attach a file (or drop or paste it)"),
        ["chat.uploading"] = ("Загрузка файла…", "Uploading the file…"),
        ["chat.fileRefused"] = ("Файл не отправлен:", "The file was not sent:"),
        ["chat.fileTooLarge"] = ("файл слишком большой", "the file is too large"),
        ["chat.download"] = ("Скачать", "Download"),
        ["chat.close"] = ("Завершить диалог", "Close conversation"),
        ["chat.closed"] = ("Диалог завершён", "Conversation closed"),
        ["chat.client"] = ("Клиент", "Client"),
        ["chat.typing"] = ("Клиент печатает…", "Client is typing…"),
        ["chat.anonymous"] = ("Посетитель сайта", "Website visitor"),
        ["chat.older"] = ("Загрузить ранние сообщения", "Load earlier messages"),
        ["chat.tooLong"] = ("Сообщение слишком длинное", "The message is too long"),
        ["lang.switch"] = ("English", "Русский"),
        ["reset.title"] = ("Новый пароль", "New password"),
        ["reset.new"] = ("Новый пароль", "New password"),
        ["reset.repeat"] = ("Повторите пароль", "Repeat the password"),
        ["reset.submit"] = ("Сохранить пароль", "Save password"),
        ["reset.done"] = ("Пароль изменён. Войдите с новым паролем.", "Your password has been changed. Sign in with the new one."),
        ["reset.mismatch"] = ("Пароли не совпадают.", "The passwords do not match."),
        ["chat.transcript"] = ("Отправить историю клиенту", "E-mail the transcript"),
        ["chat.transcriptSent"] = ("История отправлена на", "Transcript sent to"),
        ["chat.transcriptNoEmail"] = ("У клиента нет e-mail", "The client has no e-mail"),
        ["status.reason"] = ("Причина", "Reason"),
        ["status.workingNow"] = ("— причина перерыва —", "— break reason —"),
        ["status.noReason"] = ("Без причины", "No reason"),
        ["reason.disconnected"] = ("Нет соединения", "Disconnected"),
        ["reason.missed-offer"] = ("Пропущено предложение", "Missed an offer"),
        ["state.ready"] = ("Свободен", "Available"),
        ["state.busy"] = ("Занят", "Busy"),
        ["state.not-ready"] = ("Не готов", "Not ready"),
        ["state.offline"] = ("Не в сети", "Offline"),
        ["state.wrap-up"] = ("Доработка", "Wrap-up"),
        ["wrapup.end"] = ("Завершить доработку", "End wrap-up"),
        ["unit.s"] = (" с", " s"),
        ["unit.min"] = (" мин", " min"),
        ["offer.title"] = ("Новое обращение", "New conversation offered"),
        ["offer.accept"] = ("Принять", "Accept"),
        ["offer.decline"] = ("Отклонить", "Decline"),
        ["queue.take"] = ("Взять", "Take"),
        ["transfer.open"] = ("Перевести", "Transfer"),
        ["transfer.title"] = ("Перевод диалога", "Transfer the conversation"),
        ["transfer.comment"] = ("Комментарий для получателя", "Comment for the receiver"),
        ["transfer.groups"] = ("В группу (в очередь)", "To a group (its queue)"),
        ["transfer.operators"] = ("Оператору", "To an operator"),
        ["transfer.waiting"] = ("ждут", "waiting"),
        ["transfer.ready"] = ("готовы", "ready"),
        ["transfer.cancel"] = ("Отмена", "Cancel"),
        ["transfer.done"] = ("Диалог переведён", "Conversation transferred"),
    };

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Get(string key) =>
        Texts.TryGetValue(key, out var t) ? (IsEnglish ? t.En : t.Ru) : key;

    /// <summary>The culture to switch to from the current one.</summary>
    public static string OtherCulture => IsEnglish ? "ru" : "en";
}
