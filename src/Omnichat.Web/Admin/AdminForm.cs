using Omnichat.Web.Shared;

namespace Omnichat.Web.Admin;

/// <summary>
/// The state of one form in the console: what the server refused (shown next to the form by
/// <see cref="AdminErrors"/>, the named inputs marked invalid) or the line saying it was done.
/// </summary>
public sealed class AdminForm
{
    public IReadOnlyList<AdminProblem> Problems { get; private set; } = [];

    public string? Status { get; private set; }

    /// <summary>Takes a change's outcome: true when it was done (and says <paramref name="done"/>), false with its problems.</summary>
    public bool Took<T>(AdminResult<T> result, string done)
    {
        Problems = result.Problems;
        Status = result.Ok ? done : null;
        return result.Ok;
    }

    /// <summary>A refusal found before asking the server (a missing choice the use case would not notice).</summary>
    public void Refuse(string? field, string message) => (Problems, Status) = ([new AdminProblem(field, message)], null);

    public void Clear() => (Problems, Status) = ([], null);

    /// <summary><c>aria-invalid</c> for the input of <paramref name="field"/> (its own problems and those of its items).</summary>
    public string? Invalid(string field) => Problems.Any(p => Concerns(p.Field, field)) ? "true" : null;

    private static bool Concerns(string? problem, string field) =>
        problem is not null && problem.StartsWith(field, StringComparison.OrdinalIgnoreCase)
                            && (problem.Length == field.Length || problem[field.Length] is '.' or '[');

    /// <summary>The label of a refused field for people: the form's own name for it, or the field's path as the server gave it.</summary>
    public static string FieldLabel(string field)
    {
        if (UiText.Find("admin.field." + field) is { } exact)
        {
            return exact;
        }

        var root = field.Split('.', '[')[0];
        return UiText.Find("admin.field." + root) is { } label ? $"{label} ({field})" : field;
    }
}
