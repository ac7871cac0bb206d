using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;

namespace Omnichat.Core.Kernel;

public static partial class Validation
{
    /// <summary>Error keys follow the JSON field names (camelCase), e.g. <c>channelIds[0]</c>.</summary>
    public static void UseJsonFieldNames() =>
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);

    public static IRuleBuilderOptions<T, string> ValidName<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.NotEmpty().MaximumLength(maxLength)
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("'{PropertyName}' must not contain control characters.");

    public static IRuleBuilderOptions<T, string> ValidLogin<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(64).Matches(LoginPattern())
            .WithMessage("'{PropertyName}' may contain Latin letters, digits and . _ - @ only.");

    [GeneratedRegex("^[A-Za-z0-9._@-]+$")]
    private static partial Regex LoginPattern();
}
