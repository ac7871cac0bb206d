using Omnichat.Core.Kernel;

namespace Omnichat.Core.Templates;

/// <summary>Who a reply template belongs to: everyone, one skill group, or one operator.</summary>
public enum TemplateScope
{
    Global,
    Group,
    Personal,
}

/// <summary>
/// A reply template (PRODUCT W2): shared (global or per skill group, managed by supervisors and
/// administrators) or personal; grouped by category; text with placeholders such as <c>{client.name}</c>.
/// </summary>
public sealed class ReplyTemplate
{
    public const int MaxTitleLength = 100;
    public const int MaxCategoryLength = 60;
    public const int MaxTextLength = 4000;

    private ReplyTemplate()
    {
    }

    public ReplyTemplateId Id { get; private set; }

    public TemplateScope Scope { get; private set; }

    public SkillGroupId? SkillGroupId { get; private set; }

    public OperatorId? OwnerId { get; private set; }

    public string Title { get; private set; } = "";

    public string? Category { get; private set; }

    public string Text { get; private set; } = "";

    public long UsageCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static ReplyTemplate Create(TemplateScope scope, SkillGroupId? group, OperatorId? owner, string title, string? category, string text, DateTimeOffset now) =>
        new()
        {
            Id = ReplyTemplateId.New(),
            Scope = scope,
            SkillGroupId = scope == TemplateScope.Group ? group : null,
            OwnerId = scope == TemplateScope.Personal ? owner : null,
            Title = title.Trim(),
            Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim(),
            Text = text,
            CreatedAt = now,
            UpdatedAt = now,
        };

    public void Update(string title, string? category, string text, DateTimeOffset now)
    {
        Title = title.Trim();
        Category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        Text = text;
        UpdatedAt = now;
    }
}

/// <summary>An operator's favourite template (listed first for them).</summary>
public sealed class ReplyTemplateFavourite
{
    public OperatorId OperatorId { get; set; }

    public ReplyTemplateId TemplateId { get; set; }
}

public sealed record ReplyTemplateView(
    Guid Id, TemplateScope Scope, Guid? SkillGroupId, Guid? OwnerId, string Title, string? Category, string Text, long UsageCount, bool Favourite,
    DateTimeOffset UpdatedAt)
{
    public static ReplyTemplateView From(ReplyTemplate t, bool favourite) =>
        new(t.Id.Value, t.Scope, t.SkillGroupId?.Value, t.OwnerId?.Value, t.Title, t.Category, t.Text, t.UsageCount, favourite, t.UpdatedAt);
}
