using System.Globalization;
using System.Net;
using System.Text;

namespace Omnichat.Core.Mail;

/// <summary>
/// E-mail texts in Russian (default) and English, each as HTML and plain text. Every value that comes
/// from users (messages, names) is HTML-encoded in the HTML part; subjects never carry user text
/// that could hold a line break (checked again by <see cref="MailQueue"/>).
/// </summary>
public static class MailTemplates
{
    public sealed record TranscriptLine(string Author, DateTimeOffset At, string Text);

    public static bool IsEnglish(string? locale) => locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;

    public static (string Subject, string Html, string Text) Transcript(string? locale, string channelName, DateTimeOffset startedAt, IReadOnlyList<TranscriptLine> lines)
    {
        var en = IsEnglish(locale);
        var date = startedAt.UtcDateTime.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC";
        var subject = en ? $"Your conversation of {date}" : $"История вашего обращения от {date}";
        var intro = en ? $"Here is the transcript of your conversation in \"{channelName}\"." : $"История вашего обращения в канале «{channelName}».";

        var html = new StringBuilder();
        html.Append("<p>").Append(Encode(intro)).Append("</p><table cellpadding=\"6\" style=\"border-collapse:collapse\">");
        var text = new StringBuilder(intro).AppendLine().AppendLine();
        foreach (var line in lines)
        {
            var at = line.At.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
            html.Append("<tr><td style=\"color:#666;vertical-align:top\">").Append(at).Append("</td><td style=\"vertical-align:top\"><b>")
                .Append(Encode(line.Author)).Append("</b><br>").Append(Encode(line.Text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</td></tr>");
            text.Append('[').Append(at).Append("] ").Append(line.Author).Append(": ").AppendLine(line.Text);
        }

        html.Append("</table>");
        return (subject, Layout(html.ToString(), en), text.AppendLine().Append(Footer(en)).ToString());
    }

    public static (string Subject, string Html, string Text) Answer(string? locale, string channelName, string? operatorName, string answer)
    {
        var en = IsEnglish(locale);
        var subject = en ? "An answer to your request" : "Ответ на ваше обращение";
        var intro = en
            ? $"{operatorName ?? "Our operator"} answered your request in \"{channelName}\":"
            : $"{operatorName ?? "Оператор"} ответил(а) на ваше обращение в канале «{channelName}»:";
        var html = $"<p>{Encode(intro)}</p><blockquote style=\"border-left:3px solid #1565c0;margin:0;padding:4px 12px\">{Encode(answer).Replace("\n", "<br>", StringComparison.Ordinal)}</blockquote>";
        return (subject, Layout(html, en), $"{intro}\n\n{answer}\n\n{Footer(en)}");
    }

    public static (string Subject, string Html, string Text) PasswordReset(string? locale, string displayName, string link)
    {
        var en = IsEnglish(locale);
        var subject = en ? "Omnichat password reset" : "Сброс пароля Omnichat";
        var hello = en ? $"Hello, {displayName}!" : $"Здравствуйте, {displayName}!";
        var body = en
            ? "Someone (hopefully you) asked to reset your Omnichat password. Open the link to choose a new one; it works once and for a limited time. If it was not you, ignore this message."
            : "Кто-то (надеемся, вы) запросил сброс пароля Omnichat. Откройте ссылку, чтобы задать новый пароль; она действует один раз и ограниченное время. Если это были не вы, просто проигнорируйте письмо.";
        var html = $"<p>{Encode(hello)}</p><p>{Encode(body)}</p><p><a href=\"{Encode(link)}\">{Encode(link)}</a></p>";
        return (subject, Layout(html, en), $"{hello}\n\n{body}\n\n{link}\n\n{Footer(en)}");
    }

    public static (string Subject, string Html, string Text) Test(string? locale)
    {
        var en = IsEnglish(locale);
        var subject = en ? "Omnichat test e-mail" : "Проверка почты Omnichat";
        var body = en ? "Mail settings work: this message was sent by Omnichat." : "Настройки почты работают: это письмо отправил Omnichat.";
        return (subject, Layout($"<p>{Encode(body)}</p>", en), $"{body}\n\n{Footer(en)}");
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Footer(bool en) => en ? "— Omnichat (automatic message, please do not reply)" : "— Omnichat (автоматическое письмо, не отвечайте на него)";

    private static string Layout(string content, bool en) =>
        $"<!doctype html><html lang=\"{(en ? "en" : "ru")}\"><head><meta charset=\"utf-8\"></head>" +
        $"<body style=\"font-family:Arial,sans-serif;font-size:14px;color:#1a1a1a\">{content}<p style=\"color:#888;font-size:12px\">{Encode(Footer(en))}</p></body></html>";
}
