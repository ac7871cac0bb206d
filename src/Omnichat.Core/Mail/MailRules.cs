using MimeKit;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>
/// Address and header checks shared by every producer of mail. Header values with CR or LF are
/// refused outright, so no input can add headers or recipients.
/// </summary>
public static class MailRules
{
    public static bool IsValidAddress(string? address) =>
        address is { Length: > 2 and <= OutgoingMail.MaxAddressLength }
        && !HasLineBreak(address)
        && address.Count(c => c == '@') == 1
        && MailboxAddress.TryParse(address, out var parsed)
        && parsed.Address == address.Trim()
        && parsed.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < parsed.Address.Length - 1;

    public static bool HasLineBreak(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    public static void EnsureAddress(string? address, string field)
    {
        if (!IsValidAddress(address))
        {
            throw new FieldValidationException(field, $"'{field}' is not a valid e-mail address.");
        }
    }

    public static void EnsureHeaderText(string? value, string field, int maxLength)
    {
        if (HasLineBreak(value))
        {
            throw new FieldValidationException(field, $"'{field}' must not contain line breaks.");
        }

        if (value is not null && value.Length > maxLength)
        {
            throw new FieldValidationException(field, $"'{field}' must be at most {maxLength} characters.");
        }
    }
}
