namespace Omnichat.Core.Operators;

/// <summary>
/// A configured not-ready reason (break, lunch, training, meeting…). Operators may only choose enabled
/// reasons; <c>disconnected</c> and <c>missed-offer</c> are set by the platform itself.
/// </summary>
public sealed class StatusReason
{
    public const int MaxCodeLength = 50;
    public const int MaxNameLength = 100;

    public static readonly IReadOnlyList<string> SystemCodes = ["disconnected", "missed-offer"];

    /// <summary>The defaults a new installation starts with (Russian and English names).</summary>
    public static readonly IReadOnlyList<(string Code, string NameRu, string NameEn)> Defaults =
    [
        ("break", "Перерыв", "Break"),
        ("lunch", "Обед", "Lunch"),
        ("training", "Обучение", "Training"),
        ("meeting", "Совещание", "Meeting"),
        ("after-call-work", "Доработка", "After-contact work"),
    ];

    public string Code { get; set; } = "";

    public string NameRu { get; set; } = "";

    public string NameEn { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public int Position { get; set; }
}

public sealed record StatusReasonView(string Code, string NameRu, string NameEn, bool Enabled, int Position)
{
    public static StatusReasonView From(StatusReason r) => new(r.Code, r.NameRu, r.NameEn, r.Enabled, r.Position);
}
