using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Templates;

/// <summary>
/// The templates visible to the caller, favourites first, then the most used, then by title; optionally
/// filtered by a search over title, category and text (what the reply box's "/" offers) and a category.
/// </summary>
public static class ListReplyTemplates
{
    public const int MaxLimit = 200;

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<ReplyTemplateView>> HandleAsync(StaffScope staff, string? search, string? category, int? limit, CancellationToken cancellationToken)
        {
            var query = TemplateAccess.Visible(db.Set<ReplyTemplate>().AsNoTracking(), staff);
            if (!string.IsNullOrWhiteSpace(category))
            {
                var c = category.Trim();
                query = query.Where(t => t.Category == c);
            }

            var favourites = db.Set<ReplyTemplateFavourite>().Where(f => f.OperatorId == staff.OperatorId).Select(f => f.TemplateId);
            var rows = await query
                .Select(t => new { Template = t, Favourite = favourites.Contains(t.Id) })
                .ToListAsync(cancellationToken);

            // Search in memory: case-insensitive for Cyrillic on both databases (SQLite's LIKE folds ASCII only);
            // the visible set of one operator is small.
            var words = (search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return rows
                .Where(r => words.All(w => r.Template.Title.Contains(w, StringComparison.CurrentCultureIgnoreCase)
                                           || (r.Template.Category?.Contains(w, StringComparison.CurrentCultureIgnoreCase) ?? false)
                                           || r.Template.Text.Contains(w, StringComparison.CurrentCultureIgnoreCase)))
                .OrderByDescending(r => r.Favourite)
                .ThenByDescending(r => words.Length > 0 && r.Template.Title.StartsWith(words[0], StringComparison.CurrentCultureIgnoreCase))
                .ThenByDescending(r => r.Template.UsageCount)
                .ThenBy(r => r.Template.Title, StringComparer.CurrentCultureIgnoreCase)
                .Take(Math.Clamp(limit ?? 50, 1, MaxLimit))
                .Select(r => ReplyTemplateView.From(r.Template, r.Favourite))
                .ToList();
        }
    }
}
